import { describe, expect, it } from 'vitest';
import { launchPath } from './openRequests.js';

describe('the path a launch names', () => {
  it('skips the executable (and, unpackaged, the app folder) and every switch', () => {
    expect(launchPath(['/opt/Flotilla/flotilla', '--no-sandbox', 'shop'], { isPackaged: true, cwd: '/home/me/src' })).toBe('/home/me/src/shop');
    expect(launchPath(['/usr/bin/electron', '/work/flotilla', '/home/me/api'], { isPackaged: false, cwd: '/' })).toBe('/home/me/api');
    expect(launchPath(['/Applications/Flotilla.app/Contents/MacOS/Flotilla', '-psn_0_12345'], { isPackaged: true, cwd: '/' })).toBeNull();
    expect(launchPath(['/usr/bin/electron', '/work/flotilla'], { isPackaged: false, cwd: '/' })).toBeNull();
  });
});
