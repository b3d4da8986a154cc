-- a rep may work in several teams, in its order: it pulls from its first team before its second and is offered the
-- leads of all of them; team stays the first team, so one-team readers and the rep_team index keep working
ALTER TABLE rep ADD COLUMN teams text[];
UPDATE rep SET teams = ARRAY[team];
ALTER TABLE rep ALTER COLUMN teams SET NOT NULL,
    ADD CONSTRAINT rep_teams_first CHECK (cardinality(teams) BETWEEN 1 AND 10 AND teams[1] = team);
-- routing reads a team's reps with teams @> ARRAY[:team]; the roster and known teams look reps up the same way
CREATE INDEX rep_teams ON rep USING gin (teams);
