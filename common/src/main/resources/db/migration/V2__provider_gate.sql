-- The provider health gate, one row per provider, shared by every instance. Closed: work flows. Open: the
-- provider fails for everyone (5xx/timeouts in a row, 401/403, malformed answers, a long 429); nobody claims
-- and fetchers give their runs back without spending an attempt. While open, one instance at a time (the
-- probe lease) sends one small probe request at next_probe_at; success closes the gate.
CREATE TABLE provider_gate (
    provider             text PRIMARY KEY,
    state                text NOT NULL DEFAULT 'closed' CHECK (state IN ('closed', 'open')),
    reason               text,         -- error code that opened it (PROVIDER_AUTH, PROVIDER_UNAVAILABLE, ...)
    consecutive_failures integer NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
    opened_at            timestamptz,
    last_error           text,
    last_failure_at      timestamptz,
    probes               integer NOT NULL DEFAULT 0,  -- failed probes since it opened (the interval doubles)
    next_probe_at        timestamptz,
    probe_token          uuid,
    probe_lease_until    timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT provider_gate_open_has_probe CHECK (state = 'closed' OR (opened_at IS NOT NULL AND next_probe_at IS NOT NULL))
);

INSERT INTO provider_gate (provider) VALUES ('alpaca');
