package pql.cli;

import com.google.protobuf.Timestamp;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import pql.v1.Event;
import pql.v1.EventResult;
import pql.v1.ExchangeRate;
import pql.v1.ExchangeRateRecord;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestBatchResponse;
import pql.v1.ListExchangeRatesRequest;

@Command(name = "rates", description = {
    "Exchange rates the forecast converts deals into its reporting currency with (issue #14).",
    "A forecast in Q converts a deal in B at the newest B->Q rate dated on or before its as_of (UTC day), as known at known_at."},
        subcommands = {RatesCommand.Import.class, RatesCommand.ListRates.class})
final class RatesCommand {

    /** The account id rate events are sent with (ingest stores them in the rates stream whatever it is). */
    static final String SOURCE = "exchange-rates";
    private static final List<String> HEADER = List.of("date", "base", "quote", "rate");
    private static final int BATCH = 2_000;

    @Command(name = "import", description = {
        "Sends a CSV of rates (header date,base,quote,rate) through the ingest API; needs ingest:write.",
        "2026-01-05,EUR,USD,1.08 says one EUR is worth 1.08 USD from 2026-01-05 (00:00 UTC) on.",
        "Importing a file again changes nothing; a new rate for a pair and date corrects it from now on.",
        "Errors name their line."})
    static final class Import extends GatewaySubcommand {
        @Parameters(paramLabel = "FILE", description = "The CSV file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            List<Event> events = new ArrayList<>();
            List<Long> lines = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                read(new CsvRecords(in), events, lines, errors);
            }
            int accepted = 0;
            int duplicates = 0;
            if (errors.isEmpty() && !events.isEmpty()) {
                try (GatewayClient client = connect()) {
                    for (int from = 0; from < events.size(); from += BATCH) {
                        int to = Math.min(events.size(), from + BATCH);
                        IngestBatchResponse response = client.ingest().ingestBatch(
                                IngestBatchRequest.newBuilder().addAllEvents(events.subList(from, to)).build());
                        accepted += response.getAccepted();
                        duplicates += response.getDuplicates();
                        for (EventResult result : response.getResultsList()) {
                            if (result.getStatus() == EventResult.Status.STATUS_REJECTED) {
                                errors.add("line " + lines.get(from + result.getIndex()) + ": " + result.getError().getMessage());
                            }
                        }
                    }
                }
            }
            errors.forEach(spec.commandLine().getErr()::println);
            out().println(accepted + " rates recorded, " + duplicates + " already recorded, " + errors.size() + " errors");
            out().flush();
            return errors.isEmpty() ? 0 : 1;
        }

        /** The file's rates as events, or the problems of its lines (checked here so each names its line). */
        static void read(CsvRecords csv, List<Event> events, List<Long> lines, List<String> errors) throws IOException {
            List<String> header = csv.next();
            if (header == null || !HEADER.equals(header.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).toList())) {
                errors.add("line 1: the header must be " + String.join(",", HEADER) + ", not " + header);
                return;
            }
            Instant now = Instant.now();
            for (List<String> record = csv.next(); record != null; record = csv.next()) {
                long line = csv.recordLine();
                if (record.size() != HEADER.size()) {
                    errors.add("line " + line + ": " + record.size() + " fields; expected " + HEADER.size() + " (date,base,quote,rate)");
                    continue;
                }
                String date = record.get(0).trim();
                String base = record.get(1).trim().toUpperCase(Locale.ROOT);
                String quote = record.get(2).trim().toUpperCase(Locale.ROOT);
                String rate = record.get(3).trim();
                Instant effective;
                try {
                    effective = LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant();
                } catch (DateTimeParseException e) {
                    errors.add("line " + line + ": date \"" + date + "\" is not a day YYYY-MM-DD");
                    continue;
                }
                // occurred_at may not be in the future: a forward-dated rate says when it was learnt
                Instant occurred = effective.isAfter(now) ? now : effective;
                events.add(Event.newBuilder().setEventId("rate:" + date + ":" + base + ":" + quote + ":" + rate)
                        .setAccountId(SOURCE)
                        .setOccurredAt(Timestamp.newBuilder().setSeconds(occurred.getEpochSecond()))
                        .setExchangeRate(ExchangeRate.newBuilder().setBase(base).setQuote(quote).setRate(rate)
                                .setEffectiveDate(date))
                        .build());
                lines.add(line);
            }
        }
    }

    @Command(name = "list", description = "Every recorded rate, in recording order; needs scores:read.")
    static final class ListRates extends GatewaySubcommand {
        @Option(names = "--known-at", converter = TimeArgument.class, paramLabel = "WHEN",
                description = "Only rates recorded by then: " + TimeArgument.FORMS)
        Timestamp knownAt;

        @Override
        public Integer call() {
            ListExchangeRatesRequest.Builder request = ListExchangeRatesRequest.newBuilder();
            if (knownAt != null) {
                request.setKnownAt(knownAt);
            }
            try (GatewayClient client = connect()) {
                Table table = new Table("DATE", "BASE", "QUOTE", "RATE", "RECORDED").right(3);
                for (ExchangeRateRecord rate : client.scoring().listExchangeRates(request.build()).getRatesList()) {
                    table.row(rate.getEffectiveDate(), rate.getBase(), rate.getQuote(), rate.getRate(),
                            Instant.ofEpochSecond(rate.getRecordedAt().getSeconds()).toString());
                }
                table.print(out());
                out().flush();
                return 0;
            }
        }
    }
}
