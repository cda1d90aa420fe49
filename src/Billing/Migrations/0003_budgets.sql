-- Monthly budgets: monthly_budget_usd (0001) gets a mode. 'hard': the Gateway refuses new sessions and ends live ones
-- once month-to-date spend reaches the budget; 'soft': warnings only. Existing accounts keep the safe default, 'hard'.
ALTER TABLE accounts
    ADD COLUMN budget_mode text NOT NULL DEFAULT 'hard' CHECK (budget_mode IN ('hard', 'soft'));
