-- Benchmark seed for the operator and canton pages (docs/08-site.md, "Operators and cantons"): 400 earlier
-- publications, one a day, each with statistics rows for scope all, every ATLAS operator and every canton of the live
-- dataset, plus 20,000 review decisions and the live run's history row with a few thousand changes.
-- Run on a COPY of a published database, never on a shared one: psql -v ON_ERROR_STOP=1 -f owner-history.sql
BEGIN;

CREATE TEMP TABLE seeded_runs AS
SELECT gen_random_uuid() AS run_id, n, now() - make_interval(days => 401 - n) AS published_at
FROM generate_series(1, 400) AS n;

INSERT INTO publication_history (run_id, previous_run_id, bundle_run_id, generated_at, engine_version, published_at, no_comparison_reason, change_counts)
SELECT run_id, NULL, run_id, published_at - interval '10 minutes', 'bench', published_at, NULL, '{}'::jsonb FROM seeded_runs;

-- The live run's own history row, if the database predates the history tables.
INSERT INTO publication_history (run_id, previous_run_id, bundle_run_id, generated_at, engine_version, published_at, no_comparison_reason, change_counts)
SELECT p.run_id, (SELECT run_id FROM seeded_runs WHERE n = 400), p.run_id, p.published_at, 'bench', p.published_at, NULL, '{}'::jsonb
FROM dataset_publication p
ON CONFLICT (run_id) DO UPDATE SET previous_run_id = EXCLUDED.previous_run_id, no_comparison_reason = NULL, published_at = coalesce(publication_history.published_at, EXCLUDED.published_at);

-- Today's figures per scope, scaled along a slowly improving match rate with some noise, so charts have a shape.
CREATE TEMP TABLE scope_now AS
SELECT 'operator' AS kind, s.atlas_operator AS key, count(DISTINCT s.sloid) FILTER (WHERE s.sloid IS NOT NULL) AS platforms,
       count(DISTINCT s.sloid) FILTER (WHERE s.stop_type = 'matched') AS matched,
       (SELECT count(*) FROM problems p JOIN stops_matched m ON m.id = p.stop_id WHERE m.atlas_operator = s.atlas_operator) AS problems
FROM stops_matched s WHERE s.atlas_operator IS NOT NULL AND s.atlas_operator <> '' GROUP BY s.atlas_operator
UNION ALL
SELECT 'canton', s.canton, count(DISTINCT s.sloid) FILTER (WHERE s.sloid IS NOT NULL),
       count(DISTINCT s.sloid) FILTER (WHERE s.stop_type = 'matched'),
       (SELECT count(*) FROM problems p JOIN stops_matched m ON m.id = p.stop_id WHERE m.canton = s.canton)
FROM stops_matched s WHERE s.canton IS NOT NULL GROUP BY s.canton
UNION ALL
SELECT 'all', '', count(DISTINCT sloid) FILTER (WHERE sloid IS NOT NULL), count(DISTINCT sloid) FILTER (WHERE stop_type = 'matched'),
       (SELECT count(*) FROM problems)
FROM stops_matched;

INSERT INTO publication_statistics (run_id, scope_kind, scope_key, scope_name, atlas_platforms, atlas_matched, atlas_effectively_matched,
    atlas_unmatched, osm_nodes, osm_matched, osm_unmatched, problems, problems_p1, problems_p2, problems_p3, details)
SELECT r.run_id, c.kind, c.key, NULL, c.platforms, m.matched, 0, c.platforms - m.matched, 0, 0, 0,
       pr.p, pr.p / 5, pr.p * 2 / 5, pr.p - pr.p / 5 - pr.p * 2 / 5, '{}'::jsonb
FROM seeded_runs r
CROSS JOIN scope_now c
CROSS JOIN LATERAL (SELECT least(c.platforms, greatest(0, round(c.matched * (0.85 + 0.15 * r.n / 400.0) + (random() - 0.5) * c.platforms * 0.01)::int)) AS matched) m
CROSS JOIN LATERAL (SELECT greatest(0, round(c.problems * (1.3 - 0.3 * r.n / 400.0))::int) AS p) pr;

-- Review decisions on 20,000 published problems, with the operator and canton the decision copies.
INSERT INTO review.decisions (problem_key, problem_type, sloids, osm_ids, kind, evidence, state, state_changed_at, atlas_operator, canton,
    decided_by_id, decided_by_name, decided_at, revision)
SELECT DISTINCT ON (p.problem_key) p.problem_key, p.problem_type, ARRAY[coalesce(s.sloid, '')], ARRAY[coalesce(s.osm_node_id, '')],
       'not_a_problem', '{}'::jsonb, (ARRAY['decided', 'decided', 'decided', 'needs_another_look'])[1 + (p.id % 4)::int], now(),
       s.atlas_operator, s.canton, 'bench', 'bench', now(), 1
FROM problems p JOIN stops_matched s ON s.id = p.stop_id
WHERE p.problem_key IS NOT NULL AND p.id % 3 = 0
ORDER BY p.problem_key
LIMIT 20000;

-- The live run's changes: 5,000 rows spread over types, causes, operators and cantons.
INSERT INTO data_changes (run_id, change_type, cause, sloid, osm_node_id, atlas_operator, canton, lat, lon, name)
SELECT (SELECT run_id FROM dataset_publication LIMIT 1),
       (ARRAY['match_gained', 'match_lost', 'problem_opened', 'problem_closed', 'atlas_edited', 'osm_edited'])[1 + (s.id % 6)::int],
       (ARRAY['atlas', 'osm', 'both', 'matching'])[1 + (s.id % 4)::int],
       s.sloid, s.osm_node_id, s.atlas_operator, s.canton, ST_Y(s.geom), ST_X(s.geom), NULL
FROM stops_matched s WHERE s.id % 17 = 0 LIMIT 5000;

ANALYZE publication_history;
ANALYZE publication_statistics;
ANALYZE review.decisions;
ANALYZE data_changes;
COMMIT;
