package pql.load;

import java.util.List;

/** The median of a benchmark's rounds: the figure its reports print. */
public final class Medians {

    private Medians() {
    }

    /** The middle value (the upper one of an even count). */
    public static double of(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
