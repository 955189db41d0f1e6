package pql.forecast.domain;

/** ACTIVE when the account's inbound interactions and responses reach the definition's threshold. */
public enum CommunicationLevel {
    LOW, ACTIVE;

    public int distanceTo(CommunicationLevel other) {
        return Math.abs(ordinal() - other.ordinal());
    }
}
