#!/usr/bin/env node
// Draws every icon electron-builder needs from build/icon.svg, with Debian's Chromium:
//   icon.png (1024 px), icons/<size>x<size>.png (Linux), icon.icns (macOS), icon.ico (Windows).
// Run `node build/makeIcons.js` after changing the SVG; the results are committed.
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BUILD = path.dirname(fileURLToPath(import.meta.url));
const svg = fs.readFileSync(path.join(BUILD, 'icon.svg'), 'utf8');

/** Each size drawn from the vector, not scaled down from 1024 px: small sizes stay sharp. */
const LINUX_SIZES = [16, 32, 48, 64, 128, 256, 512, 1024];
/** PNG-carrying icns types: the pixel size each holds (the @2x ones are their own type). */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];
/** Windows shows 16–48 in lists and 256 in large views; an ICO entry stores 256 as 0. */
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const pngs = new Map();
  for (const size of new Set([...LINUX_SIZES, ...ICNS_TYPES.map(([, s]) => s), ...ICO_SIZES])) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`);
    pngs.set(size, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } }));
  }
  fs.writeFileSync(path.join(BUILD, 'icon.png'), pngs.get(1024));
  fs.mkdirSync(path.join(BUILD, 'icons'), { recursive: true });
  for (const size of LINUX_SIZES) fs.writeFileSync(path.join(BUILD, 'icons', `${size}x${size}.png`), pngs.get(size));
  fs.writeFileSync(path.join(BUILD, 'icon.icns'), icns(ICNS_TYPES.map(([type, size]) => [type, pngs.get(size)])));
  fs.writeFileSync(path.join(BUILD, 'icon.ico'), ico(ICO_SIZES.map((size) => [size, pngs.get(size)])));
  console.log(`icons written to ${BUILD}`);
} finally {
  await browser.close();
}

/** Apple icns: 'icns' + total length, then (type, length with its 8-byte header, PNG bytes) per entry. */
function icns(entries) {
  const chunks = entries.map(([type, png]) => {
    const header = Buffer.alloc(8);
    header.write(type, 0, 'ascii');
    header.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([header, png]);
  });
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'ascii');
  header.writeUInt32BE(8 + chunks.reduce((sum, chunk) => sum + chunk.length, 0), 4);
  return Buffer.concat([header, ...chunks]);
}

/** Windows ico with PNG entries (Vista and later): a 6-byte header, 16 bytes per entry, then the PNGs. */
function ico(entries) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1: icon (2 would be a cursor)
  header.writeUInt16LE(entries.length, 4);
  let offset = 6 + 16 * entries.length;
  const directory = entries.map(([size, png]) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...directory, ...entries.map(([, png]) => png)]);
}
