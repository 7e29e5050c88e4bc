import { z } from 'zod';

/** Recordings and journal history (issue 12): the space they take, shown in Settings beside the retention fields. */
export const historyMethods = {
  'history.usage': {
    input: z.object({}),
    output: z.object({
      /** Bytes of terminal recordings (FLOTILLA_HOME/recordings). */
      recordingsBytes: z.number().int().nonnegative(),
      /** Bytes of the database (flotilla.db with its -wal and -shm). */
      databaseBytes: z.number().int().nonnegative(),
    }),
  },
} as const;
