package pql.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import pql.v1.AccountForecastChange;
import pql.v1.AccountScoreChange;
import pql.v1.Forecast;
import pql.v1.ForecastGroup;
import pql.v1.Money;
import pql.v1.ScoringDefinition;

/**
 * What {@code pql definitions diff} prints, in the order a reviewer reads it: what changed in the
 * definition (field by field), then the accounts whose PQL status, levels, persona or expected value
 * changed (only the columns that changed), then the forecast delta per persona and per size.
 *
 * <p>The definition diff is computed here from the two versions GetDefinition returns: both are
 * readable already, so no API change is needed and it works against any server version.
 */
final class RescoreReport {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Lists of these messages are matched by this field rather than by position. */
    private static final List<String> LIST_KEYS = List.of("key", "persona", "action");

    private RescoreReport() {
    }

    /** "pql.mid_threshold: 0.5 -> 0.3", one per changed leaf, in the definition's field order. */
    static List<String> definitionChanges(ScoringDefinition before, ScoringDefinition after) {
        Map<String, String> was = flatten(before);
        Map<String, String> now = flatten(after);
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, String> entry : was.entrySet()) {
            String next = now.get(entry.getKey());
            if (!Objects.equals(entry.getValue(), next)) {
                lines.add(entry.getKey() + ": " + entry.getValue() + " -> " + (next == null ? "(removed)" : next));
            }
        }
        for (Map.Entry<String, String> entry : now.entrySet()) {
            if (!was.containsKey(entry.getKey())) {
                lines.add(entry.getKey() + ": (none) -> " + entry.getValue());
            }
        }
        return lines;
    }

    /** Leaf path -> value as the YAML shows it (amounts in units, enums short). */
    private static Map<String, String> flatten(ScoringDefinition definition) {
        Map<String, String> leaves = new LinkedHashMap<>();
        try {
            flatten(YAML.readTree(Formats.yaml(definition)), "", leaves);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return leaves;
    }

    private static void flatten(JsonNode node, String path, Map<String, String> leaves) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), leaves);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String key = null;
                for (String candidate : LIST_KEYS) {
                    if (item.isObject() && item.hasNonNull(candidate)) {
                        key = shortEnum(item.get(candidate).asText());
                        break;
                    }
                }
                if (item.isValueNode()) {
                    leaves.put(path + "[" + item.asText() + "]", "listed"); // e.g. excluded_actions
                } else {
                    flatten(item, path + "[" + (key == null ? Integer.toString(i) : key) + "]", leaves);
                }
            }
        } else {
            leaves.put(path, shortEnum(node.asText()));
        }
    }

    /** PERSONA_GOLDEN_LEAD -> golden_lead in paths and values (the forms a definition file takes). */
    private static String shortEnum(String text) {
        for (String prefix : List.of("PERSONA_", "PRODUCT_COMPLEXITY_", "PERCENTILE_COHORT_")) {
            if (text.startsWith(prefix) && text.length() > prefix.length()) {
                return text.substring(prefix.length()).toLowerCase(Locale.ROOT);
            }
        }
        return text;
    }

    /** One row per account changed in either page, only the columns where some row changed; "" where this one did not. */
    static void printAccounts(PrintWriter out, List<AccountScoreChange> scores, List<AccountForecastChange> forecasts) {
        Map<String, AccountScoreChange> byScore = new TreeMap<>();
        scores.forEach(change -> byScore.put(change.getAccountId(), change));
        Map<String, AccountForecastChange> byForecast = new TreeMap<>();
        forecasts.forEach(change -> byForecast.put(change.getAccountId(), change));
        TreeMap<String, Boolean> accounts = new TreeMap<>();
        byScore.keySet().forEach(id -> accounts.put(id, true));
        byForecast.keySet().forEach(id -> accounts.put(id, true));

        List<Column> columns = List.of(
                new Column("PQL", id -> change(byScore.get(id), c -> yesNo(c.getPqlBefore()), c -> yesNo(c.getPqlAfter()))),
                new Column("KINDS", id -> change(byScore.get(id), c -> kinds(c.getKindsBeforeList()),
                        c -> kinds(c.getKindsAfterList()))),
                new Column("ACTIVATION", id -> change(byScore.get(id), c -> Formats.percent(c.getActivationRateBefore()),
                        c -> Formats.percent(c.getActivationRateAfter()))),
                new Column("ACT LEVEL", id -> change(byScore.get(id), c -> Formats.enumName(c.getActivationLevelBefore(), "LEVEL_"),
                        c -> Formats.enumName(c.getActivationLevelAfter(), "LEVEL_"))),
                new Column("ENG LEVEL", id -> change(byScore.get(id), c -> Formats.enumName(c.getEngagementLevelBefore(), "LEVEL_"),
                        c -> Formats.enumName(c.getEngagementLevelAfter(), "LEVEL_"))),
                new Column("COMM", id -> change(byScore.get(id),
                        c -> Formats.enumName(c.getCommunicationLevelBefore(), "COMMUNICATION_LEVEL_"),
                        c -> Formats.enumName(c.getCommunicationLevelAfter(), "COMMUNICATION_LEVEL_"))),
                new Column("PERSONA", id -> change(byForecast.get(id), c -> Formats.enumName(c.getPersonaBefore(), "PERSONA_"),
                        c -> Formats.enumName(c.getPersonaAfter(), "PERSONA_"))),
                new Column("EXPECTED", id -> change(byForecast.get(id), c -> Formats.money(c.getExpectedBefore()),
                        c -> Formats.money(c.getExpectedAfter()))));
        List<Column> shown = columns.stream()
                .filter(column -> accounts.keySet().stream().anyMatch(id -> !column.cell().apply(id).isEmpty())).toList();
        if (accounts.isEmpty() || shown.isEmpty()) {
            return;
        }
        String[] headers = new String[shown.size() + 1];
        headers[0] = "ACCOUNT";
        for (int i = 0; i < shown.size(); i++) {
            headers[i + 1] = shown.get(i).header();
        }
        Table table = new Table(headers);
        for (String id : accounts.keySet()) {
            Object[] cells = new Object[shown.size() + 1];
            cells[0] = id;
            for (int i = 0; i < shown.size(); i++) {
                cells[i + 1] = shown.get(i).cell().apply(id);
            }
            table.row(cells);
        }
        table.print(out);
    }

    private record Column(String header, Function<String, String> cell) {
    }

    private static <T> String change(T change, Function<T, String> before, Function<T, String> after) {
        if (change == null) {
            return "";
        }
        String was = before.apply(change);
        String now = after.apply(change);
        return was.equals(now) ? "" : was + " -> " + now;
    }

    private static String kinds(List<pql.v1.PqlKind> kinds) {
        return kinds.isEmpty() ? "-" : ScoresCommand.kinds(kinds);
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    /** Expected revenue per group before and after, and the delta; groups of either side, in the order they came. */
    static void printGroups(PrintWriter out, String header, Forecast before, Forecast after, Function<ForecastGroup, String> key) {
        Map<String, Money[]> groups = new LinkedHashMap<>();
        before.getGroupsList().forEach(group -> groups.computeIfAbsent(key.apply(group), k -> new Money[2])[0] = group.getExpectedRevenue());
        after.getGroupsList().forEach(group -> groups.computeIfAbsent(key.apply(group), k -> new Money[2])[1] = group.getExpectedRevenue());
        if (groups.isEmpty()) {
            return;
        }
        String currency = after.getCurrency().isEmpty() ? before.getCurrency() : after.getCurrency();
        Table table = new Table(header, "BEFORE", "AFTER", "DELTA").right(1, 2, 3);
        groups.forEach((name, pair) -> table.row(name, Formats.money(pair[0]), Formats.money(pair[1]),
                signed(units(pair[1]).subtract(units(pair[0])), currency(pair, currency))));
        table.print(out);
    }

    private static String currency(Money[] pair, String fallback) {
        for (Money money : pair) {
            if (money != null && !money.getCurrency().isEmpty()) {
                return money.getCurrency();
            }
        }
        return fallback;
    }

    private static BigDecimal units(Money money) {
        if (money == null) {
            return BigDecimal.ZERO;
        }
        return money.getExactAmount().isEmpty() ? BigDecimal.valueOf(money.getAmountMicros(), 6) : new BigDecimal(money.getExactAmount());
    }

    private static String signed(BigDecimal delta, String currency) {
        BigDecimal whole = delta.setScale(0, RoundingMode.HALF_EVEN);
        return String.format(Locale.ROOT, "%+,d %s", whole.toBigInteger(), currency).strip();
    }
}
