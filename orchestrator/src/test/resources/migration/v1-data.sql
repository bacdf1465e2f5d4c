-- A database as version 1 left it mid-backfill: a definition, runs in every status, bars, a blocked budget.
INSERT INTO job_definitions (id, name, symbols, timeframe, window_from, window_to)
VALUES ('00000000-0000-0000-0000-000000000001', 'V1_DEF', '{AAPL,MSFT}', 'd1', '2024-01-01', '2025-01-01');
INSERT INTO job_runs (id, job_def_id, symbol, timeframe, slice_from, slice_to, status, attempt, error_code,
                      lease_token, lease_expires_at, finished_at)
VALUES ('00000000-0000-0000-0000-00000000000a', '00000000-0000-0000-0000-000000000001', 'AAPL', 'd1',
        '2024-01-01', '2025-01-01', 'success', 1, NULL, NULL, NULL, now()),
       ('00000000-0000-0000-0000-00000000000b', '00000000-0000-0000-0000-000000000001', 'MSFT', 'd1',
        '2024-01-01', '2025-01-01', 'failed', 5, 'PROVIDER_AUTH', NULL, NULL, now()),
       ('00000000-0000-0000-0000-00000000000c', NULL, 'NVDA', 'd1',
        '2024-01-01', '2025-01-01', 'running', 2, NULL, gen_random_uuid(), now() + interval '5 minutes', NULL),
       ('00000000-0000-0000-0000-00000000000d', NULL, 'SPY', 'd1',
        '2023-01-01', '2024-01-01', 'queued', 1, 'PROVIDER_UNAVAILABLE', NULL, NULL, NULL);
INSERT INTO job_definition_runs (job_def_id, job_run_id)
VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-00000000000a'),
       ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-00000000000b');
INSERT INTO ohlc_bars (symbol, timeframe, ts, open, high, low, close, volume, provider)
VALUES ('AAPL', 'd1', '2024-01-02T05:00:00Z', 10, 11, 9, 10.5, 1000, 'alpaca');
INSERT INTO rate_limits (provider, per_minute, tokens, blocked_until) VALUES ('alpaca', 200, 0, now() + interval '1 minute');
