package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import pql.v1.BacktestDefinitionRequest;
import pql.v1.BacktestDefinitionResponse;
import pql.v1.BacktestFigure;
import pql.v1.BacktestFigureState;
import pql.v1.PersonaBacktest;

/**
 * How {@code pql definitions backtest} and {@code diff} print a backtest: each figure with its sample
 * size, "not enough data" (never a 0) below the minimum sample, and the persona table.
 */
final class BacktestPrinter {

    /** Without --from: this long before --to. */
    static final Duration DEFAULT_PERIOD = Duration.ofDays(90);
    static final String NOT_ENOUGH = "not enough data";

    private record Row(String name, Function<BacktestDefinitionResponse, BacktestFigure> figure, Function<Double, String> format) {
    }

    /** The figures both the report and the side-by-side diff show, in order. */
    private static final List<Row> HEADLINE = List.of(
            new Row("precision", BacktestDefinitionResponse::getPrecision, Formats::percent),
            new Row("recall", BacktestDefinitionResponse::getRecall, Formats::percent),
            new Row("F1", BacktestDefinitionResponse::getF1, value -> String.format(Locale.ROOT, "%.2f", value)),
            new Row("lift", BacktestDefinitionResponse::getLift, value -> String.format(Locale.ROOT, "%.2fx", value)),
            new Row("median lead time", BacktestDefinitionResponse::getMedianLeadTimeSeconds, BacktestPrinter::days));

    private BacktestPrinter() {
    }

    /** The request for {@code version} over [from, to): to defaults to now, from to {@link #DEFAULT_PERIOD} before to. */
    static BacktestDefinitionRequest request(int version, Timestamp from, Timestamp to) {
        Timestamp end = to != null ? to : Formats.timestamp(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Timestamp start = from != null ? from
                : Formats.timestamp(Instant.ofEpochSecond(end.getSeconds(), end.getNanos()).minus(DEFAULT_PERIOD));
        return BacktestDefinitionRequest.newBuilder().setVersion(version).setFrom(start).setTo(end).build();
    }

    /** The whole report of one version. */
    static void print(PrintWriter out, BacktestDefinitionResponse backtest) {
        out.printf(Locale.ROOT, "backtest of v%d: trials closed %s .. %s (log position %,d)%n", backtest.getVersion(),
                Formats.time(backtest.getFrom()), Formats.time(backtest.getTo()), backtest.getHeadPosition());
        out.printf(Locale.ROOT, "%,d trials closed, %,d converted (base rate %s); %,d were PQLs before closing%n",
                backtest.getTrialsClosed(), backtest.getTrialsConverted(),
                withSample(backtest.getBaseConversionRate(), Formats::percent), backtest.getPqls());
        Table figures = new Table("FIGURE", "VALUE", "N").right(1, 2);
        for (Row row : HEADLINE) {
            BacktestFigure figure = row.figure().apply(backtest);
            figures.row(row.name(), value(figure, row.format()), figure.getSampleSize());
        }
        figures.row("Brier score", value(backtest.getBrierScore(), BacktestPrinter::brier), backtest.getBrierScore().getSampleSize());
        figures.print(out);
        out.println();
        Table personas = new Table("PERSONA", "ODDS", "CLOSED", "CONVERTED", "OBSERVED",
                String.format(Locale.ROOT, "%.0f%% INTERVAL", backtest.getConfidence() * 100), "BRIER", "").right(1, 2, 3, 4);
        for (PersonaBacktest persona : backtest.getPersonasList()) {
            boolean measured = measured(persona.getObservedRate());
            personas.row(Formats.enumName(persona.getPersona(), "PERSONA_"), Formats.percent(persona.getOdds()),
                    persona.getTrialsClosed(), persona.getTrialsConverted(),
                    value(persona.getObservedRate(), Formats::percent),
                    measured ? Formats.percent(persona.getIntervalLow()) + ".." + Formats.percent(persona.getIntervalHigh()) : "",
                    value(persona.getBrierScore(), BacktestPrinter::brier),
                    persona.getOddsOutsideInterval() ? "odds outside the interval" : "");
        }
        personas.print(out);
        out.printf(Locale.ROOT, "a figure needs at least %d observations (N); %s%n", backtest.getMinimumSample(),
                backtest.getMethod());
        out.flush();
    }

    /** The headline figures of two versions side by side, each with its sample size. */
    static void printSideBySide(PrintWriter out, BacktestDefinitionResponse before, BacktestDefinitionResponse after) {
        out.printf(Locale.ROOT, "backtest over trials closed %s .. %s: %,d closed, %,d converted%n",
                Formats.time(before.getFrom()), Formats.time(before.getTo()), before.getTrialsClosed(),
                before.getTrialsConverted());
        Table table = new Table("FIGURE", "v" + before.getVersion(), "v" + after.getVersion()).right(1, 2);
        table.row("PQLs before closing", before.getPqls(), after.getPqls());
        for (Row row : HEADLINE) {
            table.row(row.name(), withSample(row.figure().apply(before), row.format()),
                    withSample(row.figure().apply(after), row.format()));
        }
        table.print(out);
    }

    private static String withSample(BacktestFigure figure, Function<Double, String> format) {
        return value(figure, format) + " (n=" + figure.getSampleSize() + ")";
    }

    private static String value(BacktestFigure figure, Function<Double, String> format) {
        return measured(figure) ? format.apply(figure.getValue()) : NOT_ENOUGH;
    }

    private static boolean measured(BacktestFigure figure) {
        return figure.getState() == BacktestFigureState.BACKTEST_FIGURE_STATE_MEASURED && figure.hasValue();
    }

    private static String days(double seconds) {
        return String.format(Locale.ROOT, "%.1f d", seconds / 86_400);
    }

    private static String brier(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
