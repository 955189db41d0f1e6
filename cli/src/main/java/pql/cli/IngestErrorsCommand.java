package pql.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import pql.v1.IngestError;
import pql.v1.ListIngestErrorsRequest;
import pql.v1.ListIngestErrorsResponse;

@Command(name = "ingest-errors", description = {
    "The newest items the HTTP sources (Segment's /v1/track, /v1/batch...) could not store, with the reason.",
    "Those requests were answered 200, as Segment answers them; this is where the rejected items are seen.",
    "Kept in the gateway's memory (segment.errorLogSize, default 1,000; lost on restart). Needs ingest:write;",
    "a key without the admin scope sees only the items it sent."})
final class IngestErrorsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "How many, newest first: 1..1,000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        Usage.within(spec, "--limit", limit, 1, 1000, null);
        try (GatewayClient client = ((Pql) spec.root().userObject()).connect()) {
            ListIngestErrorsResponse response = client.ingestErrors()
                    .listIngestErrors(ListIngestErrorsRequest.newBuilder().setLimit(limit).build());
            PrintWriter out = spec.commandLine().getOut();
            if (response.getErrorsCount() == 0) {
                out.printf("no rejected items (%,d since the gateway started)%n", response.getTotalRejected());
                out.flush();
                return 0;
            }
            Table table = new Table("RECEIVED", "KEY", "TYPE", "EVENT", "MESSAGE ID", "ACCOUNT", "CODE", "REASON");
            for (IngestError error : response.getErrorsList()) {
                table.row(Formats.time(error.getReceivedAt()), error.getApiKeyName(), error.getMessageType(), error.getEventName(),
                        error.getMessageId(), error.getAccountId(), error.getCode(), error.getReason());
            }
            table.print(out);
            out.printf("%,d shown, newest first; %,d rejected since the gateway started%n", response.getErrorsCount(),
                    response.getTotalRejected());
            out.flush();
            return 0;
        }
    }
}
