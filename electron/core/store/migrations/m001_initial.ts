/** The first schema. Never edit a shipped migration: add the next numbered file instead. */
export const m001Initial = `
CREATE TABLE repos (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  path           TEXT NOT NULL UNIQUE,
  default_branch TEXT NOT NULL,
  added_at       INTEGER NOT NULL
);

CREATE TABLE tasks (
  id             TEXT PRIMARY KEY,
  repo_id        TEXT NOT NULL REFERENCES repos(id),
  title          TEXT NOT NULL,
  prompt         TEXT NOT NULL,
  status         TEXT NOT NULL,
  branch         TEXT NOT NULL,
  base_branch    TEXT NOT NULL,
  base_commit    TEXT NOT NULL,
  worktree_path  TEXT NOT NULL,
  status_reason  TEXT,
  merge_commit   TEXT,
  merge_strategy TEXT,
  model          TEXT NOT NULL,
  -- Responses API input items of earlier turns (JSON), so a follow-up continues the conversation.
  agent_history  TEXT NOT NULL DEFAULT '[]',
  turns          INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX tasks_by_status ON tasks(status);

-- Append-only: one row per event a user can see, written before it is shown.
CREATE TABLE journal (
  seq      INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id  TEXT NOT NULL,
  at       INTEGER NOT NULL,
  kind     TEXT NOT NULL,
  payload  TEXT NOT NULL
);
CREATE INDEX journal_by_task ON journal(task_id, seq);

CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;
