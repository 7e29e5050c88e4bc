import { z } from 'zod';

/**
 * Imported first by main.tsx, before any schema exists: zod decides at schema creation
 * whether it may compile parsers with `new Function`, and that probe shows up as a CSP
 * violation under our policy (no 'unsafe-eval'). Jitless parsing is plenty fast for the UI.
 */
z.config({ jitless: true });
