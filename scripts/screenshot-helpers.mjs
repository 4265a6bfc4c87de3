// What the console screenshot scripts (scripts/console-screenshot*.mjs) share: the demo hub's API as a
// demo user (password <user>-demo-pw), a headless Chromium, and signing in through the console's form.
import { chromium } from 'playwright-core';

/** `call(user, method, route, body)`: the hub's JSON API as a demo user; a refusal throws with the hub's answer. */
export const hubCaller = (hubUrl) => async (user, method, route, body) => {
  const response = await fetch(new URL(route, hubUrl), {
    method,
    headers: { Authorization: `Basic ${Buffer.from(`${user}:${user}-demo-pw`).toString('base64')}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return response.json();
};

/** Headless Chromium (Debian's, or CHROMIUM_PATH). */
export const launchBrowser = () => chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });

/** A new English page of the given size, signed in to the console as a demo user. */
export async function signedInPage(browser, hubUrl, user, viewport) {
  const page = await browser.newPage({ locale: 'en-US', viewport });
  await page.goto(new URL('/console/', hubUrl).href);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(`${user}-demo-pw`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}
