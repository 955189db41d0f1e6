package pql.scoring.domain.definition;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A one-paragraph description of a definition made from its values, so that it cannot go stale the way
 * a hand-written "MID 50%" does once someone edits the threshold: the presets' descriptions and the
 * description of a definition published without one.
 */
public final class DefinitionSummary {

    private DefinitionSummary() {
    }

    /** e.g. "PQL at activation SMALL 75%, MID 50%, LARGE 25%, or on message_sent >= 2000; 6-step checklist; ..." */
    public static String of(ScoringDefinition definition) {
        StringBuilder text = new StringBuilder();
        ScoringDefinition.PqlRule pql = definition.pql();
        if (pql != null) {
            text.append("PQL at activation SMALL ").append(Numbers.percent(pql.smallThreshold()))
                    .append(", MID ").append(Numbers.percent(pql.midThreshold()))
                    .append(", LARGE ").append(Numbers.percent(pql.largeThreshold()));
            if (!pql.triggers().isEmpty()) {
                text.append(", or on ").append(pql.triggers().stream().map(ScoringDefinition.BehaviouralTrigger::describe)
                        .collect(Collectors.joining(" or ")));
            }
            text.append("; ");
        }
        if (definition.steps() != null) {
            text.append(definition.steps().size()).append("-step activation checklist; ");
        }
        if (definition.opportunityBands() != null) {
            text.append("deal sizes MID from ").append(units(definition.opportunityBands().midFromMicros()))
                    .append(", LARGE from ").append(units(definition.opportunityBands().largeFromMicros())).append("; ");
        }
        if (definition.engagement() != null) {
            ScoringDefinition.EngagementRule engagement = definition.engagement();
            text.append("engagement over ").append(engagement.windowDays() == 0 ? "all time" : engagement.windowDays() + " days")
                    .append(engagement.halfLifeDays() == 0 ? "" : ", half-life " + Numbers.plain(engagement.halfLifeDays()) + " days")
                    .append("; ");
        }
        if (text.length() >= 2) {
            text.setLength(text.length() - 2);
            text.append('.');
        }
        return text.toString();
    }

    /** Micros as whole currency units with grouping, e.g. 10000000000 -> "10,000". */
    static String units(long micros) {
        BigDecimal units = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return units.scale() <= 0 ? String.format(Locale.ROOT, "%,d", units.toBigInteger())
                : String.format(Locale.ROOT, "%,." + units.scale() + "f", units);
    }
}
