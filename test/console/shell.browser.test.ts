import type { Page } from 'playwright-core';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
}, 60_000);
afterAll(() => hub?.close());

const errorsOf = (page: Page) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // The refused sign-in and the first "who am I" answer 401: expected, not errors of the page.
    if (m.type() === 'error' && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  return errors;
};

describe('the console shell in a browser', () => {
  test('a wrong password shows the error; the right one shows the shell with the user, the heading focused', async () => {
    const page = await hub.newPage();
    const errors = errorsOf(page);
    await signIn(page, 'alice', 'not-her-password');
    await expectText(page.getByRole('alert'), 'Wrong username or password.');
    await signIn(page, 'alice');
    await page.getByRole('heading', { level: 1, name: 'Trust map' }).waitFor();
    await expectText(page.locator('.who'), 'Signed in as alice (acme-hq)');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('page-heading');
    expect(errors).toEqual([]); // no CSP violation, no script error
    await page.context().close();
  });

  test("a page's announcement does not outlive it: the next page starts with empty live regions", async () => {
    const page = await hub.newPage();
    await signIn(page, 'alice');
    await page.getByRole('link', { name: 'Indicators' }).click();
    await page.getByRole('heading', { level: 1, name: 'Indicators' }).waitFor();
    await page.locator('#live-status').filter({ hasText: /indicators shown/ }).waitFor();
    // The list asked again (Show) and answered only once the user has moved on to the trust map.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => { release = resolve; });
    await page.route('**/api/collections/*/indicators?*', async (route) => {
      await held;
      await route.continue();
    });
    const lateAnswer = page.waitForResponse((r) => /\/api\/collections\/[^/]+\/indicators\?/.test(r.url()));
    await page.getByRole('button', { name: 'Show', exact: true }).click();
    await page.getByRole('link', { name: 'Trust map' }).click();
    await page.getByRole('heading', { level: 1, name: 'Trust map' }).waitFor();
    release();
    await (await lateAnswer).finished();
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0))); // past the announcement's own setTimeout
    expect(await page.locator('#live-status').textContent()).not.toMatch(/indicators shown/);
    await page.context().close();
  });

  test('the language follows the browser, can be switched, and is remembered', async () => {
    const page = await hub.newPage('ja-JP');
    await page.goto('/console/');
    await page.getByRole('heading', { name: 'サインイン' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ja');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    await page.context().close();
  });

  test('the header says when the session ends at the latest, in the UI language, with the exact time kept', async () => {
    const page = await hub.newPage('ja-JP');
    await signIn(page, 'alice');
    const ends = page.locator('.who .session-ends');
    await ends.filter({ hasText: 'セッションの期限' }).waitFor();
    const time = ends.locator('time');
    const exact = (await time.getAttribute('datetime')) ?? '';
    const { rows } = await hub.db.query<{ expires_at: Date }>("SELECT s.expires_at FROM console_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'alice' ORDER BY s.created_at DESC LIMIT 1");
    expect(exact).toBe(rows[0]?.expires_at.toISOString());
    expect(await time.getAttribute('title')).toBe(exact);
    expect(await time.textContent()).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2} \S+$/);
    await page.getByRole('button', { name: 'English' }).click();
    expect(await time.textContent()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{2}:\d{2} \S+$/);
    await page.context().close();
  });

  test('signing out returns to the sign-in form, and the old session no longer opens the console', async () => {
    const page = await hub.newPage();
    await signIn(page, 'bob');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectText(page.getByRole('status'), 'You have signed out.');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const { rows } = await hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM console_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'bob'");
    expect(rows[0]?.n).toBe(0);
    await page.context().close();
  });
});

async function expectText(locator: ReturnType<Page['locator']>, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor();
}
