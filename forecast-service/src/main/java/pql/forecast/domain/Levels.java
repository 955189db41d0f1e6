package pql.forecast.domain;

import java.util.Objects;

/** The three levels a persona is read from (seed 004's key engagement indicators). */
public record Levels(Level activation, Level engagement, CommunicationLevel communication) {

    public Levels {
        Objects.requireNonNull(activation, "activation");
        Objects.requireNonNull(engagement, "engagement");
        Objects.requireNonNull(communication, "communication");
    }

    private static final Levels[] SHARED = new Levels[18];
    private static final String[] LABELS = new String[18];

    static {
        for (Level activation : Level.values()) {
            for (Level engagement : Level.values()) {
                for (CommunicationLevel communication : CommunicationLevel.values()) {
                    SHARED[index(activation, engagement, communication)] = new Levels(activation, engagement, communication);
                    LABELS[index(activation, engagement, communication)] = activation + "/" + engagement + "/" + communication;
                }
            }
        }
    }

    /** The shared instance for these levels (there are only 18; a portfolio of 100k trials holds no copies). */
    public static Levels of(Level activation, Level engagement, CommunicationLevel communication) {
        return SHARED[index(activation, engagement, communication)];
    }

    private static int index(Level activation, Level engagement, CommunicationLevel communication) {
        return (activation.ordinal() * 3 + engagement.ordinal()) * 2 + communication.ordinal();
    }

    /** Sum of the level steps between the two: the persona table's distance. */
    public int distanceTo(Levels other) {
        return activation.distanceTo(other.activation) + engagement.distanceTo(other.engagement)
                + communication.distanceTo(other.communication);
    }

    /** e.g. "HIGH/HIGH/ACTIVE". */
    @Override
    public String toString() {
        return LABELS[index(activation, engagement, communication)];
    }
}
