import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
}, 60_000);
afterAll(() => hub?.close());

describe('the trust map in a browser', () => {
  test('an operator sees every demo trust group drawn, with a table of the same facts', async () => {
    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.getByRole('heading', { level: 1, name: 'Trust map' }).waitFor();
    for (const group of ['acme-tree', 'finance-isac', 'acme-globex-alliance']) {
      const article = page.locator(`article[data-group="${group}"]`);
      await article.locator('svg[role="img"]').waitFor();
      expect(await article.locator('svg g.org').count()).toBeGreaterThan(1);
    }
    // acme-tree: a tree of three, drawn with two parent-child arrows
    expect(await page.locator('article[data-group="acme-tree"] svg line.tree').count()).toBe(2);
    // the hybrid alliance: its peer link marked as not passing down, in the graph and in the table
    const alliance = page.locator('article[data-group="acme-globex-alliance"]');
    expect(await alliance.locator('path.peer-link.no-pass-down').count()).toBe(1);
    await alliance.getByRole('table').getByText('globex-hq (no pass-down)').waitFor();
    expect(await page.getByRole('img', { name: /finance-isac|Finance ISAC/ }).count()).toBe(1);
    await page.context().close();
  });

  test('the recipients preview: bob\'s organization\'s TLP:AMBER object in ACME internal reaches acme-hq, not acme-west', async () => {
    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.getByLabel('Provider').selectOption('acme-east');
    await page.getByLabel('Collection').selectOption({ label: 'ACME internal (acme-internal)' });
    await page.getByLabel('TLP level').selectOption('amber');
    await page.getByRole('button', { name: 'Show recipients' }).click();
    await page.getByRole('status').filter({ hasText: '2 organizations would receive a TLP:AMBER object of acme-east' }).waitFor();
    const result = page.locator('.preview-result');
    expect(await result.locator('svg g.org.recipient').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-org')).sort())).toEqual(['acme-hq']);
    expect(await result.locator('svg g.org.provider').getAttribute('data-org')).toBe('acme-east');
    expect(await result.locator('svg g.org.not-recipient').getAttribute('data-org')).toBe('acme-west');
    await result.locator('svg g.org.recipient text.rule-label').filter({ hasText: 'ancestor' }).waitFor();
    expect(await result.locator('tr[data-org="acme-hq"] td').textContent()).toBe('above the provider in a vertical tree');
    expect(await result.locator('tr[data-org="acme-west"] td').textContent()).toBe('does not receive it');
    await page.context().close();
  });

  test('a refused preview is announced as an error with the hub\'s words', async () => {
    const page = await hub.newPage();
    await signIn(page, 'operator');
    await page.getByLabel('Provider').selectOption('globex-hq');
    await page.getByLabel('Collection').selectOption({ label: 'ACME internal (acme-internal)' });
    await page.getByRole('button', { name: 'Show recipients' }).click();
    await page.getByRole('alert').filter({ hasText: "organization 'globex-hq' may not write to collection" }).waitFor();
    await page.context().close();
  });

  test('in Japanese, a refused preview is headed in Japanese above the hub\'s own words', async () => {
    const page = await hub.newPage('ja-JP');
    await signIn(page, 'operator');
    await page.getByLabel('提供者').selectOption('globex-hq');
    await page.getByLabel('コレクション', { exact: true }).selectOption({ label: 'ACME internal (acme-internal)' });
    await page.getByRole('button', { name: '受信者を表示' }).click();
    const refusal = page.locator('.preview p.error');
    await refusal.locator('.hub-error-heading').filter({ hasText: '受け付けられない値があります' }).waitFor();
    expect(await refusal.innerText()).toMatch(/^受け付けられない値があります\nprovider: organization 'globex-hq' may not write to collection/);
    await page.getByRole('alert').filter({ hasText: /^受け付けられない値があります。provider: organization 'globex-hq'/ }).waitFor(); // read out the same way
    await page.context().close();
  });

  test('a provider previews only its own organization; a consumer sees no preview control and no operator view', async () => {
    const bob = await hub.newPage();
    await signIn(bob, 'bob');
    await bob.getByRole('heading', { name: 'Collections you may see' }).waitFor();
    expect(await bob.getByLabel('Provider').inputValue()).toBe('acme-east');
    expect(await bob.getByLabel('Provider').getAttribute('readonly')).not.toBeNull();
    await bob.getByRole('button', { name: 'Show recipients' }).click();
    await bob.locator('.preview-result tr[data-org="acme-hq"]').waitFor();
    await bob.context().close();

    const carol = await hub.newPage();
    await signIn(carol, 'carol');
    await carol.getByRole('heading', { name: 'Collections you may see' }).waitFor();
    expect(await carol.getByRole('button', { name: 'Show recipients' }).count()).toBe(0);
    expect(await carol.locator('form.preview-form, select, article[data-group]').count()).toBe(0);
    const nav = await carol.getByRole('navigation').getByRole('link').allTextContents();
    expect(nav).toContain('Trust map');
    expect(nav).not.toContain('Share'); // providers only
    expect(await carol.getByRole('button').allTextContents()).toEqual(['日本語', 'English', 'Sign out']);
    await carol.context().close();
  });
});
