/** The agent's plan for the task (its update_plan tool): JSON `{ steps, explanation }`, null until it makes one. */
export const m010TaskPlan = `
ALTER TABLE tasks ADD COLUMN plan TEXT;
`;
