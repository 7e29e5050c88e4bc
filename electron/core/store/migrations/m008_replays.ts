/**
 * Replays: recordings imported from a file (Flotilla's own export, Codex CLI sessions, Claude
 * Code transcripts, asciicast). They live in their own tables and never mix with the live
 * journal: the live board never shows an imported task, and deleting a replay cannot touch it.
 */
export const m008Replays = `
CREATE TABLE replays (
  id           TEXT PRIMARY KEY,
  -- 'flotilla' | 'codex' | 'claude' | 'asciicast'
  source       TEXT NOT NULL,
  title        TEXT NOT NULL,
  -- The imported file's name (not its path: a replay outlives the file).
  file_name    TEXT NOT NULL,
  imported_at  INTEGER NOT NULL,
  -- Records read but not imported (unknown types, bad lines), as JSON { "<type>": count }.
  skipped      TEXT NOT NULL DEFAULT '{}'
);

-- The journal's columns (seq is the recording's own order) plus the replay they belong to.
-- Rowid tables (not WITHOUT ROWID): payloads and parts are large, and an import appends them.
CREATE TABLE replay_events (
  replay_id  TEXT NOT NULL REFERENCES replays(id) ON DELETE CASCADE,
  seq        INTEGER NOT NULL,
  task_id    TEXT NOT NULL,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  payload    TEXT NOT NULL,
  UNIQUE (replay_id, seq)
);
CREATE INDEX replay_events_by_task ON replay_events(replay_id, task_id, seq);

-- Terminal recordings (asciicast v2) by content: sha256 of the whole recording, stored in parts
-- of about 1 MB so neither an import nor a replay ever holds a whole recording in memory.
CREATE TABLE replay_blobs (
  sha256  TEXT NOT NULL,
  part    INTEGER NOT NULL,
  data    BLOB NOT NULL,
  UNIQUE (sha256, part)
);
`;
