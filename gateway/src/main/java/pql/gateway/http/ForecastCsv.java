package pql.gateway.http;

import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import pql.v1.ForecastLine;
import pql.v1.Money;
import pql.v1.PersonaClassification;

/**
 * Forecast lines as CSV for finance (RFC 4180: comma separated, CRLF, fields quoted when they
 * hold a comma, quote or line break, quotes doubled). Amounts are decimal currency units, not
 * micros. Text that a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe: account names come from customers. Every line says which instant it was evaluated
 * at ({@code as_of}), what was known ({@code known_at}: empty for everything recorded so far) and
 * scoring's log position it includes, so a saved file can be reproduced with the same query.
 */
public final class ForecastCsv {

    public static final List<String> HEADER = List.of(
            "account_id", "account_name", "owner", "opportunity_size", "close_month", "currency", "deal_size",
            "persona", "odds", "approximate", "expected_revenue", "activation_level", "engagement_level",
            "communication_level", "fit", "definition_version", "as_of", "known_at", "head_position",
            // the deal as its events state it, and the exchange rate it was converted with (empty in the
            // reporting currency); a trial without a rate has an empty deal_size / expected_revenue and a warning
            "original_currency", "original_deal_size", "rate", "rate_date", "warning");

    /** Written first when asked for: Excel needs it to read the file as UTF-8. */
    public static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Writer out;

    public ForecastCsv(Writer out) {
        this.out = out;
    }

    /** Whether an Accept header asks for the Excel flavour: {@code text/csv; excel} (any case, any order of parameters). */
    public static boolean excelAccepted(String accept) {
        if (accept == null) {
            return false;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            if (parts[0].trim().equalsIgnoreCase("text/csv")) {
                for (int i = 1; i < parts.length; i++) {
                    String parameter = parts[i].trim().toLowerCase(java.util.Locale.ROOT);
                    if (parameter.equals("excel") || parameter.equals("excel=true")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    public void writeHeader() throws IOException {
        writeRow(HEADER);
    }

    public void write(ForecastLine line) throws IOException {
        PersonaClassification persona = line.getClassification();
        writeRow(List.of(
                text(line.getAccountId()),
                text(line.getAccountName()),
                text(line.getOwner()),
                strip(line.getOpportunitySize().name(), "OPPORTUNITY_SIZE_"),
                line.getCloseMonth(),
                line.getDealSize().getCurrency(),
                line.hasDealSize() ? amount(line.getDealSize()) : "",
                strip(persona.getPersona().name(), "PERSONA_"),
                BigDecimal.valueOf(persona.getOdds()).stripTrailingZeros().toPlainString(),
                Boolean.toString(persona.getApproximate()),
                line.hasExpectedRevenue() ? amount(line.getExpectedRevenue()) : "",
                strip(persona.getActivationLevel().name(), "LEVEL_"),
                strip(persona.getEngagementLevel().name(), "LEVEL_"),
                strip(persona.getCommunicationLevel().name(), "COMMUNICATION_LEVEL_"),
                strip(persona.getFit().name(), "FIT_"),
                Integer.toString(persona.getDefinitionVersion()),
                line.hasAsOf() ? instant(line.getAsOf()) : "",
                line.hasKnownAt() ? instant(line.getKnownAt()) : "",
                Long.toString(line.getHeadPosition()),
                line.getOriginalDealSize().getCurrency(),
                line.hasOriginalDealSize() ? amount(line.getOriginalDealSize()) : "",
                line.getExchangeRate().getRate(),
                line.getExchangeRate().getEffectiveDate(),
                text(line.getWarning())));
    }

    /**
     * The export's file name, from the instants of its lines (or of the request, when no line came):
     * {@code forecast-lines-as-of-2026-11-25T00-00-00Z[-known-at-2026-11-25T00-00-00Z].csv}, colons
     * replaced so that every file system takes it.
     */
    public static String fileName(Timestamp asOf, Timestamp knownAt) {
        StringBuilder name = new StringBuilder("forecast-lines-as-of-").append(safe(instant(asOf)));
        if (knownAt != null) {
            name.append("-known-at-").append(safe(instant(knownAt)));
        }
        return name.append(".csv").toString();
    }

    private static String safe(String instant) {
        return instant.replace(':', '-');
    }

    public static String instant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
    }

    /** Micros as a plain decimal with at least two decimals: 12500000 → "12.50" (exact_amount when set). */
    public static String amount(Money money) {
        BigDecimal value = (money.getExactAmount().isEmpty() ? BigDecimal.valueOf(money.getAmountMicros(), 6)
                : new BigDecimal(money.getExactAmount())).stripTrailingZeros();
        if (value.scale() < 2) {
            value = value.setScale(2);
        }
        return value.toPlainString();
    }

    private static String strip(String enumName, String prefix) {
        if (enumName.endsWith("_UNSPECIFIED")) {
            return "";
        }
        return enumName.startsWith(prefix) ? enumName.substring(prefix.length()) : enumName;
    }

    /** Defuses spreadsheet formulas in free text. */
    public static String text(String value) {
        if (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    private void writeRow(List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(escape(cells.get(i)));
        }
        out.write("\r\n");
    }

    public static String escape(String cell) {
        boolean quote = false;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                quote = true;
                break;
            }
        }
        return quote ? '"' + cell.replace("\"", "\"\"") + '"' : cell;
    }
}
