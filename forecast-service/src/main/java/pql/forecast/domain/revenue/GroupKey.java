package pql.forecast.domain.revenue;

import java.util.Comparator;
import java.util.List;
import pql.forecast.domain.OpportunitySize;
import pql.forecast.domain.Persona;

/** One cell of the group-by cross product; dimensions not grouped by are null. */
public record GroupKey(Persona persona, OpportunitySize opportunitySize, String owner, String closeMonth) {

    public static final GroupKey TOTAL = new GroupKey(null, null, null, null);

    /** Orders groups by the dimensions in the order they were asked for (enums in their declared order). */
    public static Comparator<GroupKey> order(List<Dimension> groupBy) {
        Comparator<GroupKey> order = (a, b) -> 0;
        for (Dimension dimension : groupBy) {
            order = order.thenComparing(switch (dimension) {
                case PERSONA -> Comparator.comparing(GroupKey::persona);
                case OPPORTUNITY_SIZE -> Comparator.comparing(GroupKey::opportunitySize);
                case OWNER -> Comparator.comparing(GroupKey::owner);
                case CLOSE_MONTH -> Comparator.comparing(GroupKey::closeMonth);
            });
        }
        return order;
    }
}
