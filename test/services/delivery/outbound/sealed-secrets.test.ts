import { createSealedTextBox } from '../../../../src/services/delivery/outbound/sealed-secrets';
import type { SecretStore } from '../../../../src/storage/secret-store';

/** A SecretStore in memory: what getOrCreate stores first is kept (the port's contract). */
function memorySecrets(): SecretStore {
  const stored = new Map<string, string>();
  return {
    getOrCreate: async (name, create) => {
      if (!stored.has(name)) stored.set(name, create());
      return stored.get(name) as string;
    },
  };
}

describe('sealed secrets (webhook secrets, forward credentials)', () => {
  test('a sealed text opens for its owner only, never shows the text, and differs at every sealing', async () => {
    const box = createSealedTextBox(memorySecrets(), 'test-key');
    const sealed = await box.seal('webhook-1', 'the secret');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('the secret');
    expect(await box.seal('webhook-1', 'the secret')).not.toBe(sealed); // a fresh IV each time
    expect(await box.open('webhook-1', sealed)).toBe('the secret');
    await expect(box.open('webhook-2', sealed)).rejects.toThrow(); // copied to another owner: does not open
  });

  test('a tampered or foreign value does not open', async () => {
    const secrets = memorySecrets();
    const box = createSealedTextBox(secrets, 'test-key');
    const [prefix, iv, data, tag] = (await box.seal('forward-1', 'user:password')).split('.');
    const flipped = `${data?.[0] === 'A' ? 'B' : 'A'}${data?.slice(1)}`;
    await expect(box.open('forward-1', [prefix, iv, flipped, tag].join('.'))).rejects.toThrow();
    await expect(box.open('forward-1', 'plain text')).rejects.toThrow(/not sealed in a form this hub reads/);
    const otherKey = createSealedTextBox(secrets, 'another-key');
    await expect(otherKey.open('forward-1', await box.seal('forward-1', 'x'))).rejects.toThrow();
  });
});
