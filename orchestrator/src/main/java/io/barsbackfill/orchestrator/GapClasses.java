package io.barsbackfill.orchestrator;

/** Sessions without a bar, by class (the audit's, {@code AuditRepository.AUDIT}). */
public record GapClasses(long notListed, long noTrades, long providerHoles, long unverified) {

    public static final GapClasses NONE = new GapClasses(0, 0, 0, 0);

    public GapClasses plus(GapClasses o) {
        return new GapClasses(
                notListed + o.notListed,
                noTrades + o.noTrades,
                providerHoles + o.providerHoles,
                unverified + o.unverified);
    }
}
