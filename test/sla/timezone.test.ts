import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Date reads TZ once at process start, so stubbing process.env.TZ in-process
// proves nothing: run the same computations in child processes instead.
const probe = fileURLToPath(new URL('./tz-probe.ts', import.meta.url));

function runProbe(tz: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', probe], {
    env: { ...process.env, TZ: tz },
    encoding: 'utf8',
    timeout: 15_000,
  });
  if (r.status !== 0) throw new Error(`probe failed under TZ=${tz}: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

describe('§4 counting is in Asia/Shanghai whatever the process time zone', () => {
  it('gives identical, hand-checked results under TZ=UTC, America/New_York and Asia/Shanghai', () => {
    const [utc, ny, shanghai] = ['UTC', 'America/New_York', 'Asia/Shanghai'].map(runProbe);

    // The child processes really ran in different zones.
    expect([utc.offsetJan1970, ny.offsetJan1970, shanghai.offsetJan1970]).toEqual([0, 300, -480]);

    for (const other of [ny, shanghai]) {
      expect(other.statutoryCount).toBe(utc.statutoryCount);
      expect(other.named).toEqual(utc.named);
      expect(other.sweep).toEqual(utc.sweep);
    }
    expect(utc.sweep.length).toBeGreaterThan(400);

    expect(utc.named).toEqual({
      hours24: '2026-10-01T02:00:00.000Z', // 2026-10-01 10:00 +08:00
      workingDays1: '2026-10-08T16:00:00.000Z', // 2026-10-09 00:00 +08:00
      workingDays15: '2026-10-23T16:00:00.000Z', // 2026-10-24 00:00 +08:00
      yearEnd3: '2026-01-05T16:00:00.000Z', // 2026-01-06 00:00 +08:00
      warn: '2026-09-30T21:12:00.000Z', // 2026-10-01 05:12 +08:00
      resumeOverNationalDay: '2026-10-27T16:00:00.000Z', // 2026-10-28 00:00 +08:00
      nextAfterSep30: '2026-10-08',
      weekdayOct1: 4,
    });
  });
});
