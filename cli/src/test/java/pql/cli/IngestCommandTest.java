package pql.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import pql.v1.Event;
import pql.v1.IngestBatchRequest;
import pql.v1.IngestStreamRequest;
import pql.v1.ProductAction;

/** {@code pql ingest FILE}: format by name or --format, chunk sizes, bad files, exit codes. */
class IngestCommandTest {

    @TempDir
    Path directory;

    @RegisterExtension
    final FakeGateway gateway = new FakeGateway();

    private Path jsonLines(String name, int events) throws Exception {
        Path file = directory.resolve(name);
        try (BufferedWriter writer = Files.newBufferedWriter(file)) {
            for (int i = 0; i < events; i++) {
                Event event = Event.newBuilder().setEventId("e" + i).setAccountId("acct-" + (i % 7))
                        .setOccurredAt(com.google.protobuf.util.Timestamps.parseUnchecked("2025-06-01T00:00:00Z"))
                        .setProductAction(ProductAction.newBuilder().setUserId("u1").setAction("login")).build();
                writer.write(JsonFormat.printer().omittingInsignificantWhitespace().print(event));
                writer.newLine();
            }
        }
        return file;
    }

    private Path csv(String name, String text) throws Exception {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static final String CSV = """
            event_id,account_id,occurred_at,kind,user_id,action
            e1,acme,2025-03-01T10:00:00Z,product_action,u1,login
            e2,acme,2025-03-01T10:05:00Z,product_action,u1,report_created
            """;

    private java.util.List<Integer> chunkSizes() {
        return gateway.requests("IngestStream", IngestStreamRequest.class).stream()
                .map(IngestStreamRequest::getEventsCount).toList();
    }

    @Test
    void aDryRunValidatesEveryChunkThroughValidateOnlyAndStoresNothing() throws Exception {
        Path file = jsonLines("events.jsonl", 2500);
        Files.writeString(file, Files.readString(file).replace("\"eventId\":\"e1200\"", "\"eventId\":\"e 1200\""));

        FakeGateway.Run run = gateway.pql("ingest", "--dry-run", file.toString());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(IngestCommand.SOME_REJECTED);
        assertThat(gateway.calls("IngestStream")).isZero();
        assertThat(gateway.requests("IngestBatch", IngestBatchRequest.class))
                .extracting(IngestBatchRequest::getEventsCount, IngestBatchRequest::getValidateOnly)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1000, true), org.assertj.core.groups.Tuple.tuple(1000, true),
                        org.assertj.core.groups.Tuple.tuple(500, true));
        assertThat(run.out()).startsWith("dry run, nothing stored: valid 2,499, rejected 1")
                .contains("event_id: a space is not allowed  (lines 1201)");
        assertThat(run.err()).contains("ingest: 100% 2,500 sent, 2,500 acknowledged");
    }

    @Test
    void aDryRunStopsWhenTheGatewayIgnoresValidateOnly() throws Exception {
        gateway.ignoresValidateOnly.set(true);

        FakeGateway.Run run = gateway.pql("ingest", "--dry-run", "--quiet", jsonLines("events.jsonl", 2500).toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("the gateway ignored the dry run and stored 1000 events");
        assertThat(gateway.calls("IngestBatch")).isEqualTo(1);
    }

    @Test
    void jsonLinesAreSentInChunksOfAThousandByDefault() throws Exception {
        FakeGateway.Run run = gateway.pql("ingest", "--quiet", jsonLines("events.jsonl", 2500).toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(chunkSizes()).containsExactly(1000, 1000, 500);
        assertThat(run.out()).startsWith("accepted 2,500, duplicates 0, rejected 0 in ");
    }

    @Test
    void aChunkSizeOutsideTheApisLimitsIsAUsageErrorNotSilentlyChanged() throws Exception {
        Path file = jsonLines("events.jsonl", 2500);

        FakeGateway.Run tooBig = gateway.pql("ingest", "--quiet", "--chunk", "5000", file.toString());
        FakeGateway.Run zero = gateway.pql("ingest", "--quiet", "--chunk", "0", file.toString());
        FakeGateway.Run noneInFlight = gateway.pql("ingest", "--quiet", "--in-flight", "0", file.toString());
        FakeGateway.Run format = gateway.pql("ingest", "--quiet", "--format", "xml", file.toString());

        assertThat(tooBig.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(tooBig.err()).get(0)).isEqualTo("--chunk: must be between 1 and 2,000, was 5000");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(noneInFlight.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(noneInFlight.err()).get(0)).startsWith("--in-flight: must be between 1 and");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(FakeGateway.lines(format.err()).get(0)).isEqualTo("--format: unknown value 'xml'; one of jsonl, csv");
        assertThat(gateway.calls("IngestStream")).isZero();

        gateway.pql("ingest", "--quiet", "--chunk", "2000", file.toString());
        assertThat(chunkSizes()).containsExactly(2000, 500);
    }

    @Test
    void aFileNamedCsvIsReadAsCsvAndFormatOverridesTheName() throws Exception {
        FakeGateway.Run byName = gateway.pql("ingest", "--quiet", csv("events.csv", CSV).toString());
        FakeGateway.Run byOption = gateway.pql("ingest", "--quiet", "--format", "CSV", csv("events.txt", CSV).toString());

        assertThat(byName.exitCode()).as(byName.err()).isZero();
        assertThat(byName.out()).startsWith("accepted 2, duplicates 0, rejected 0");
        assertThat(byOption.exitCode()).as(byOption.err()).isZero();
        assertThat(byOption.out()).startsWith("accepted 2, duplicates 0, rejected 0");
        IngestStreamRequest chunk = gateway.last("IngestStream", IngestStreamRequest.class);
        assertThat(chunk.getEvents(1).getProductAction().getAction()).isEqualTo("report_created");
    }

    @Test
    void aCsvFileReadAsJsonLinesIsUnreadableLineByLineAndExitsWithThree() throws Exception {
        FakeGateway.Run run = gateway.pql("ingest", "--quiet", "--format", "jsonl", csv("events.csv", CSV).toString());

        assertThat(run.exitCode()).isEqualTo(IngestCommand.SOME_REJECTED);
        assertThat(run.out()).contains("accepted 0, duplicates 0, rejected 0, unreadable 3")
                .contains("unreadable: not a pql.v1.Event in JSON").contains("(lines 1)", "(lines 2)", "(lines 3)");
    }

    @Test
    void aCsvHeaderWithoutTheRequiredColumnsIsRefusedBeforeAnythingIsSent() throws Exception {
        FakeGateway.Run run = gateway.pql("ingest", csv("events.csv", "event_id,account_id,occurred_at\ne1,acme,2025-03-01\n")
                .toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo(
                "error: the CSV header needs the column 'kind' (required: event_id, account_id, occurred_at, kind)");
        assertThat(gateway.calls("IngestStream")).isZero();
    }

    @Test
    void anEmptyCsvFileIsRefusedForItsMissingHeader() throws Exception {
        FakeGateway.Run run = gateway.pql("ingest", csv("empty.csv", "").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: the CSV file is empty: a header row is required");
    }

    @Test
    void anEmptyJsonLinesFileSendsNothingAndSucceeds() throws Exception {
        FakeGateway.Run run = gateway.pql("ingest", "--quiet", csv("empty.jsonl", "\n\n").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("accepted 0, duplicates 0, rejected 0 in ");
        assertThat(chunkSizes()).isEmpty();
    }

    @Test
    void aMissingFileOrNoFileArgumentIsAnError() {
        Path missing = directory.resolve("nowhere.jsonl");

        FakeGateway.Run run = gateway.pql("ingest", missing.toString());
        FakeGateway.Run noArgument = gateway.pql("ingest");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("error: no such file: " + missing);
        assertThat(noArgument.exitCode()).isEqualTo(2);
        assertThat(noArgument.err()).contains("Missing required parameter: 'FILE'");
    }

    @Test
    void progressGoesToStandardErrorUnlessQuiet() throws Exception {
        Path file = jsonLines("events.jsonl", 10);

        FakeGateway.Run loud = gateway.pql("ingest", file.toString());
        FakeGateway.Run quiet = gateway.pql("ingest", "--quiet", file.toString());

        assertThat(loud.err()).contains("ingest: 100% 10 sent, 10 acknowledged");
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.out()).startsWith("accepted 10,");
    }

    @Test
    void optionsThatAreNotNumbersAreUsageErrors() throws Exception {
        FakeGateway.Run run = gateway.pql("ingest", "--in-flight", "lots", jsonLines("events.jsonl", 1).toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Invalid value for option '--in-flight': 'lots' is not an int");
        assertThat(gateway.calls("IngestStream")).isZero();
    }
}
