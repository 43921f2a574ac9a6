-- The reinforcement bias's checkpoint on a stacker version's row: each input's hit rate, calls and multiplier
-- with the drift since the last recorded step, and the convictions still waiting for their outcome, so a
-- restart continues where the last stop left off.
ALTER TABLE "model_versions" ADD COLUMN "reinforcement_state" jsonb;
