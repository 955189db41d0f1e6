package pql.scoring.domain.discovery;

/** "At least {@code minCount} of {@code action} within {@code withinDays} days" (0 days: any time before the trial closed). */
public record CandidateRule(String action, double minCount, int withinDays) {

    public String describe() {
        String count = minCount == Math.rint(minCount) ? Long.toString((long) minCount) : Double.toString(minCount);
        return action + " >= " + count + (withinDays > 0 ? " within " + withinDays + " days" : "");
    }
}
