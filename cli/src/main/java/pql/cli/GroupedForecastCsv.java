package pql.cli;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import pql.gateway.http.ForecastCsv;
import pql.v1.Forecast;
import pql.v1.ForecastDimension;
import pql.v1.ForecastGroup;
import pql.v1.Money;

/**
 * A grouped forecast ({@code pql forecast --csv --group-by ...}) as CSV, one line per group, in the
 * finance export's conventions (ForecastCsv: RFC 4180, CRLF, amounts in currency units, free text
 * defused). No total line: a sum in the data would be counted twice by whoever sums the column.
 * Every line carries the instants and the log position, so a saved file says what it answers.
 */
final class GroupedForecastCsv {

    private GroupedForecastCsv() {
    }

    static void write(Writer out, Forecast forecast, List<ForecastDimension> dimensions) throws IOException {
        List<String> header = new ArrayList<>();
        for (ForecastDimension dimension : dimensions) {
            header.add(switch (dimension) {
                case FORECAST_DIMENSION_PERSONA -> "persona";
                case FORECAST_DIMENSION_OPPORTUNITY_SIZE -> "opportunity_size";
                case FORECAST_DIMENSION_OWNER -> "owner";
                default -> "close_month";
            });
        }
        header.addAll(List.of("open_trials", "currency", "pipeline", "expected_revenue", "p10", "p50", "p90",
                "definition_version", "as_of", "known_at", "head_position"));
        row(out, header);
        for (ForecastGroup group : forecast.getGroupsList()) {
            List<String> cells = new ArrayList<>();
            for (ForecastDimension dimension : dimensions) {
                cells.add(switch (dimension) {
                    case FORECAST_DIMENSION_PERSONA -> shortName(Formats.enumName(group.getPersona(), "PERSONA_"));
                    case FORECAST_DIMENSION_OPPORTUNITY_SIZE -> shortName(Formats.enumName(group.getOpportunitySize(), "OPPORTUNITY_SIZE_"));
                    case FORECAST_DIMENSION_OWNER -> ForecastCsv.text(group.getOwner());
                    default -> group.getCloseMonth();
                });
            }
            cells.addAll(List.of(Long.toString(group.getOpenTrials()), forecast.getCurrency(), amount(group.getPipeline()),
                    amount(group.getExpectedRevenue()), amount(group.getRange().getP10()), amount(group.getRange().getP50()),
                    amount(group.getRange().getP90()), Integer.toString(forecast.getDefinitionVersion()),
                    forecast.hasAsOf() ? ForecastCsv.instant(forecast.getAsOf()) : "",
                    forecast.hasKnownAt() ? ForecastCsv.instant(forecast.getKnownAt()) : "",
                    Long.toString(forecast.getHeadPosition())));
            row(out, cells);
        }
    }

    private static String shortName(String name) {
        return name.equals("-") ? "" : name;
    }

    private static String amount(Money money) {
        return ForecastCsv.amount(money);
    }

    /** One CSV record: cells escaped, CRLF. */
    static void row(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(ForecastCsv.escape(cells.get(i)));
        }
        out.write("\r\n");
    }
}
