import type { Locator, Page } from 'playwright-core';
import { signIn, startConsoleBrowser, type ConsoleBrowser } from './console-browser';

/**
 * The whole "done when" path of the console, in one browser window, as someone new to the demo hub
 * would walk it (README.md "The console", docs/console.md "A first walk"): the operator looks at the
 * trust map and asks who would receive a TLP:AMBER object of acme-east in ACME internal (acme-hq
 * would, acme-west would not); bob (acme-east) shares a URL there; alice (acme-hq) finds it on
 * Indicators, carol (acme-west) does not and has nothing to act on; bob marks it benign through the
 * confirmation dialog; the operator finds the change in the audit trail. Only what the pages show
 * is used: labels, roles and the words on the screen.
 */

let hub: ConsoleBrowser;
beforeAll(async () => {
  hub = await startConsoleBrowser();
}, 60_000);
afterAll(() => hub?.close());

const COLLECTION = 'ACME internal (acme-internal)';
const VALUE = 'https://login-check.done-when.example/verify';
/** Six sign-ins and a dozen pages in one window: more than jest's 30 s on a busy two-core machine. */
const WALK_MS = 120_000;

/** Signs in through the form on screen (after a sign-out the form is where the page was). */
async function signInHere(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-demo-pw`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have signed out.').waitFor();
}

async function open(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation').getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

async function openIndicators(page: Page): Promise<void> {
  await open(page, 'Indicators');
  await page.getByLabel('Collection').selectOption({ label: COLLECTION });
  await page.getByRole('status').filter({ hasText: /indicators shown/ }).waitFor();
}

const listed = (page: Page): Locator => page.getByRole('table', { name: 'Indicators in ACME internal' }).getByRole('row').filter({ hasText: 'login-check.done-when.example' });

describe('the console\'s whole path, as a newcomer walks it', () => {
  test('trust map, share, seen by alice and not by carol, marked benign, found in the audit trail', async () => {
    const page = await hub.newPage();

    // 1. The operator signs in and sees the demo's trust groups drawn, every grouped organization in them.
    await signIn(page, 'operator');
    await page.getByRole('heading', { level: 1, name: 'Trust map' }).waitFor();
    for (const group of ['ACME group (acme-tree)', 'Finance ISAC (finance-isac)', 'ACME-Globex alliance (acme-globex-alliance)']) {
      await page.getByRole('article', { name: group }).getByRole('img', { name: /^Graph of trust group / }).waitFor();
    }
    const drawn = await page.locator('article[data-group] svg g.org').evaluateAll((gs) => [...new Set(gs.map((g) => g.getAttribute('data-org')))].sort());
    expect(drawn).toEqual(['acme-east', 'acme-hq', 'acme-west', 'globex-hq', 'globex-lab', 'initech', 'vandelay']);
    const acmeTree = page.getByRole('article', { name: 'ACME group (acme-tree)' }).getByRole('table');
    await acmeTree.getByRole('row').filter({ hasText: 'acme-east' }).filter({ hasText: 'acme-hq' }).first().waitFor();

    // Who would receive what bob's organization shares in ACME internal as TLP:AMBER: acme-hq, not acme-west.
    await page.getByLabel('Provider').selectOption('acme-east');
    await page.getByLabel('Collection').selectOption({ label: COLLECTION });
    await page.getByLabel('TLP level').selectOption('amber');
    await page.getByRole('button', { name: 'Show recipients' }).click();
    await page.getByRole('status').filter({ hasText: '2 organizations would receive a TLP:AMBER object of acme-east in ' }).waitFor();
    const preview = page.locator('.preview-result');
    await preview.getByRole('row').filter({ hasText: 'acme-hq' }).filter({ hasText: 'above the provider in a vertical tree' }).waitFor();
    await preview.getByRole('row').filter({ hasText: 'acme-west' }).filter({ hasText: 'does not receive it' }).waitFor();
    await signOut(page);

    // 2. bob shares the URL in ACME internal, TLP:AMBER, on Share.
    await signInHere(page, 'bob');
    await open(page, 'Share');
    await page.getByLabel('Collection').selectOption({ label: COLLECTION });
    await page.getByLabel('Marking (TLP)').selectOption('amber');
    await page.getByLabel('Values, one per line').fill(VALUE);
    await page.getByText('1 accepted, 0 rejected').first().waitFor();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByText('Stored: 1 created, 0 updated, 0 unchanged; 0 rejected.').first().waitFor();
    await signOut(page);

    // 3. alice (acme-hq, the head office) finds it on Indicators, provided by acme-east, active.
    await signInHere(page, 'alice');
    await openIndicators(page);
    await listed(page).filter({ hasText: 'acme-east' }).filter({ hasText: 'Active' }).waitFor();
    await signOut(page);

    // 4. carol (acme-west, the other branch) does not: nothing listed, nothing to revoke or mark.
    await signInHere(page, 'carol');
    await openIndicators(page);
    expect(await page.getByLabel('Collection').getByRole('option').allTextContents()).toEqual([COLLECTION]); // the only collection carol reads
    await page.getByText('No indicator matches.').waitFor();
    expect(await listed(page).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Revoke|Mark benign|Purge/ }).count()).toBe(0);
    expect(await page.getByRole('navigation').getByRole('link', { name: 'Share' }).count()).toBe(0);
    await signOut(page);

    // 5. bob marks it benign: Details, "Mark benign…", the reason, confirmed in the dialog.
    await signInHere(page, 'bob');
    await openIndicators(page);
    await listed(page).getByRole('button', { name: /^Details of / }).click();
    const details = page.locator('.indicator-detail');
    await details.getByRole('heading', { level: 2, name: /login-check\.done-when\.example/ }).waitFor();
    const id = (await details.locator('dt:text-is("Id") + dd').innerText()).trim();
    expect(id).toMatch(/^indicator--[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Mark benign…' }).click();
    const dialog = page.getByRole('dialog', { name: /^Mark URL .*login-check\.done-when\.example.* benign\?$/ });
    await dialog.getByLabel(/Reason/).fill('our own login page check');
    await dialog.getByRole('button', { name: 'Mark benign', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: /is marked benign\./ }).waitFor();
    await listed(page).filter({ hasText: 'Benign' }).waitFor();
    await signOut(page);

    // 6. The operator finds the change in the audit trail on Administration, filtered by the indicator's id.
    await signInHere(page, 'operator');
    await open(page, 'Administration');
    const audit = page.getByRole('region', { name: 'Audit trail' });
    await audit.getByLabel('Entity id').fill(id);
    await audit.getByRole('button', { name: 'Show', exact: true }).click();
    const entry = audit.getByRole('table', { name: 'Audit entries' }).getByRole('row').filter({ hasText: 'indicator.benign' });
    await entry.filter({ hasText: 'bob' }).filter({ hasText: id }).waitFor();
    await entry.getByText('state: active → benign').waitFor();
    await page.context().close();
  }, WALK_MS);

  test('the next person to sign in in the same window starts on their own first page, not on the page the last one left', async () => {
    const page = await hub.newPage();
    await signIn(page, 'bob');
    await open(page, 'Share');
    await signOut(page);
    await signInHere(page, 'carol'); // a consumer: Share is not hers
    await page.getByRole('heading', { level: 1, name: 'Trust map' }).waitFor();
    expect(await page.getByText('This page is not available to your roles.').count()).toBe(0);
    await page.context().close();
  });
});
