// Drives Microsoft 365 Agents Playground's web UI in headless Chromium, as a Teams user would:
// a personal-chat answer (with the informative update before it), a channel post and a reply in
// its chain, a citation pill opened to its quote, and a group chat's preview in the chat list. Saves screenshots and exits non-zero when
// something a person should see is missing. See docs/teams.md, "Try it locally".
//
//   PLAYGROUND_URL=http://127.0.0.1:56150 OUT=docs/img node scripts/playground_check.mjs
//
// Needs `playwright-core` (no browser download) and a Chromium (CHROMIUM, default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import path from 'node:path';

const url = process.env.PLAYGROUND_URL || 'http://127.0.0.1:56150';
const out = process.env.OUT || 'docs/img';
const project =
  'Support bot over 3,000 help articles that change weekly; answers must link to the source.';
const followUp = 'Also, every answer has to use our strict JSON format for the ticketing system.';
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ viewport: { width: 1280, height: 1300 } })).newPage();
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
page.on('console', (m) => {
  // the page's own errors; resources it fetches from the internet fail offline and don't count
  if (m.type() === 'error' && !m.text().startsWith('Failed to load')) pageErrors.push(m.text());
});
const shot = (name) => page.screenshot({ path: path.join(out, `teams-${name}.png`), type: 'png' });
// the rendered Markdown of each answer: the element whose paragraphs hold the answer's text
const answers = () => page.locator('div:has(> p)', { hasText: 'My recommendation:' });

async function mention() {
  await page.keyboard.type('@');
  await page.locator('[role=menuitem]', { hasText: 'Test Bot' }).first().click();
}

async function openQuote(card, name) {
  const pills = card.locator('a.fai-Citation');
  check((await pills.count()) >= 2, `${name}: citation pills rendered (${await pills.count()})`);
  await pills.first().hover(); // the client opens the citation's preview on hover (or focus)
  const popup = page.locator('.fui-PopoverSurface').last();
  await popup.waitFor({ timeout: 5000 }).catch(() => {});
  await page.waitForTimeout(800); // let it fade in before the screenshot
  const text = ((await popup.innerText().catch(() => '')) || '').replace(/\s+/g, ' ');
  check(text.length > 40, `${name}: pill 1 opens its quote (“${text.slice(0, 90)}…”)`);
  await shot(`${name}-quote`);
  await page.mouse.move(5, 5);
  await popup.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
}

await page.goto(url, { waitUntil: 'networkidle' });
await page.getByText('Log Panel').locator('..').locator('button').last().click().catch(() => {});

// Personal chat: the informative update, then the final answer in its place.
await page.getByRole('treeitem', { name: 'Personal Chat' }).click();
const box = page.locator('div[role=textbox]').last();
await box.click();
await box.type(project);
await page.keyboard.press('Enter');
let informative = false;
for (let i = 0; i < 200 && !(await answers().count()); i++) {
  if (!informative && (await page.getByText('Reading the articles…').count())) {
    informative = true;
    await shot('personal-informative');
  }
  await page.waitForTimeout(25);
}
check(informative, 'personal: informative update shown while answering');
await answers().first().waitFor({ timeout: 15000 });
check((await page.getByText('Reading the articles…').count()) === 0, 'personal: update replaced by the answer');
const personal = answers().first();
const personalText = await personal.innerText();
check(personalText.startsWith('My recommendation:'), 'personal: starts with plain words');
check(personalText.includes('reply here — I remember'), 'personal: ends with the reply cue');
await personal.scrollIntoViewIfNeeded();
await shot('personal');
await openQuote(personal, 'personal');

// Channel: a post mentioning the bot, answered in its reply chain; then a reply in that chain.
await page.getByRole('treeitem', { name: 'My Team - General' }).click();
const post = page.locator('div[role=textbox]').first();
await post.click();
await mention();
await page.keyboard.type(` ${project}`);
await page.getByRole('button', { name: 'Post' }).click();
await answers().first().waitFor({ timeout: 15000 }).catch(() => {});
check((await answers().count()) >= 1, 'channel: the answer appears in the post’s replies');
if (await answers().count()) {
  const channel = answers().first();
  check((await channel.innerText()).includes('@mention me'), 'channel: ends with the mention cue');
  await channel.scrollIntoViewIfNeeded();
  await shot('channel');
  await openQuote(channel, 'channel');
  const thread = page.locator('div', { has: channel }).filter({ has: page.locator('div[role=textbox]') });
  const reply = thread.last().locator('div[role=textbox]').last();
  await reply.click();
  await mention();
  await page.keyboard.type(` ${followUp}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(
    () => [...document.querySelectorAll('p')].filter((p) => p.innerText.startsWith('My recommendation:')).length >= 2,
    null, { timeout: 15000 },
  ).catch(() => {});
  check((await answers().count()) >= 2, 'channel: a reply in the chain is answered there too');
  await answers().last().scrollIntoViewIfNeeded();
  await shot('channel-reply');
}
// Group chat: a message too vague to decide gets a clarify answer (text only, no card), so the
// chat list previews the answer's own first words.
await page.getByRole('treeitem', { name: 'Group Chat' }).click();
await page.locator('div[role=textbox]').last().click();
await mention();
await page.keyboard.type(' hello there');
await page.keyboard.press('Enter');
const preview = page.getByRole('treeitem', { name: 'Group Chat' });
await page.waitForFunction(
  () => document.querySelector('[aria-label="Group Chat"]')?.innerText.includes('Before I can'),
  null, { timeout: 15000 },
).catch(() => {});
check((await preview.innerText()).includes('Before I can recommend'), 'group chat: the chat list previews plain words');
await shot('group-preview');

check(!pageErrors.length, `no page errors${pageErrors.length ? ': ' + pageErrors.join(' | ').slice(0, 400) : ''}`);
await browser.close();
process.exit(failures.length ? 1 : 0);
