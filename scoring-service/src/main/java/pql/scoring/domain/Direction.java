package pql.scoring.domain;

public enum Direction {
    /** From the account to us: a reply, a question, a booked meeting. */
    INBOUND,
    /** From us to the account. */
    OUTBOUND
}
