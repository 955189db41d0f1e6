package pql.scoring.domain;

/**
 * Why an account is a PQL (seed 003: the four sub-types of HubSpot's PQLs). An account keeps every
 * kind that applies; the declaration order is the order they are reported in.
 */
public enum PqlKind {
    /** Activation threshold for the opportunity size reached, or a behavioural trigger hit. */
    CRITERIA_MET,
    /** Somebody asked for sales assistance. */
    HAND_RAISER,
    /** The account outgrew a limit of its plan. */
    LIMIT_REACHED,
    /** Converted without any sales touch. */
    TOUCHLESS_PURCHASE;

    public int bit() {
        return 1 << ordinal();
    }

    public static java.util.List<PqlKind> fromMask(int mask) {
        java.util.List<PqlKind> kinds = new java.util.ArrayList<>(4);
        for (PqlKind kind : values()) {
            if ((mask & kind.bit()) != 0) {
                kinds.add(kind);
            }
        }
        return kinds;
    }
}
