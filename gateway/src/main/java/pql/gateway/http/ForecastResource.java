package pql.gateway.http;

import com.google.protobuf.Timestamp;
import io.grpc.Context;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import pql.common.grpc.WindowedStreamReader;
import pql.gateway.auth.Caller;
import pql.gateway.auth.Scope;
import pql.gateway.http.openapi.Summary;
import pql.v1.AccuracyStep;
import pql.v1.Forecast;
import pql.v1.ForecastAccuracy;
import pql.v1.ForecastDimension;
import pql.v1.ForecastFilter;
import pql.v1.ForecastHistory;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.ForecastWaterfall;
import pql.v1.GetForecastAccuracyRequest;
import pql.v1.GetForecastHistoryRequest;
import pql.v1.GetForecastWaterfallRequest;
import pql.v1.Granularity;
import pql.v1.GetForecastRequest;
import pql.v1.OpportunitySize;
import pql.v1.Persona;
import pql.v1.StreamForecastLinesRequest;

/**
 * The revenue forecast for finance: grouped totals as JSON, every open trial as CSV, its history and
 * waterfall, and how accurate past forecasts turned out.
 */
@Path("/api/v1/forecast")
public final class ForecastResource {

    /** Rows the forecast service may send ahead of the CSV writer. */
    private static final int EXPORT_WINDOW = 512;

    private final BackendStubs backends;

    public ForecastResource(BackendStubs backends) {
        this.backends = backends;
    }

    /**
     * {@code GET /api/v1/forecast?group_by=persona,close_month&size=large&as_of=2025-03-01&known_at=2025-03-01}:
     * {@code known_at} counts only the events recorded by then (what was known), same format as {@code as_of}.
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Summary("The revenue forecast, grouped (P10, P50, P90 and expected value)")
    @RequiresScope({Scope.FORECAST_READ, Scope.DASHBOARD_READ})
    public Forecast forecast(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("group_by") List<String> groupBy,
            @QueryParam("persona") List<String> personas,
            @QueryParam("size") List<String> sizes,
            @QueryParam("owner") List<String> owners,
            @QueryParam("close_month") List<String> closeMonths,
            @QueryParam("as_of") String asOf,
            @QueryParam("known_at") String knownAt,
            @QueryParam("definition_version") String definitionVersion,
            @QueryParam("currency") String currency) {
        QueryParams params = new QueryParams();
        GetForecastRequest.Builder get = GetForecastRequest.newBuilder()
                .addAllGroupBy(params.enums("group_by", groupBy, ForecastDimension.getDescriptor(),
                        ForecastDimension::forNumber))
                .setFilter(filter(params, personas, sizes, owners, closeMonths))
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE))
                .setCurrency(currency == null ? "" : currency.trim());
        params.timestamp("as_of", asOf, get::setAsOf);
        params.timestamp("known_at", knownAt, get::setKnownAt);
        params.throwIfInvalid();
        return backends.forecast(Callers.of(request)).getForecast(get.build());
    }

    /**
     * {@code GET /api/v1/forecast/accuracy?from=2025-01-01&to=2025-07-01&step=month}: each period's forecast
     * as known at its start against what converted in it (ForecastService.GetForecastAccuracy); {@code step}
     * is week, month or quarter, {@code from} and {@code to} instants or dates as for {@code as_of};
     * {@code hindsight=true} counts events recorded after each period's start too.
     */
    @GET
    @Path("/accuracy")
    @Produces(MediaType.APPLICATION_JSON)
    @Summary("Past forecasts, as known at each period's start, against what converted")
    @RequiresScope({Scope.FORECAST_READ, Scope.DASHBOARD_READ})
    public ForecastAccuracy accuracy(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("step") String step,
            @QueryParam("hindsight") String hindsight,
            @QueryParam("definition_version") String definitionVersion,
            @QueryParam("currency") String currency) {
        QueryParams params = new QueryParams();
        GetForecastAccuracyRequest.Builder get = GetForecastAccuracyRequest.newBuilder()
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE))
                .setCurrency(currency == null ? "" : currency.trim())
                .setHindsight(params.bool("hindsight", hindsight));
        params.timestamp("from", from, get::setFrom);
        params.timestamp("to", to, get::setTo);
        params.enumValue("step", step, AccuracyStep.getDescriptor(), AccuracyStep::forNumber, get::setStep);
        params.throwIfInvalid();
        return backends.forecast(Callers.of(request)).getForecastAccuracy(get.build());
    }

    /**
     * {@code GET /api/v1/forecast/history?from=2025-01-01&to=2025-03-26&step=week&owner=ana}: the forecast
     * totals at each step from {@code from} to {@code to}, each as known at its instant
     * (ForecastService.GetForecastHistory); {@code step} is week (the default) or month, the filters as for
     * the grouped forecast.
     */
    @GET
    @Path("/history")
    @Produces(MediaType.APPLICATION_JSON)
    @Summary("The forecast totals at each week or month, each as known then")
    @RequiresScope({Scope.FORECAST_READ, Scope.DASHBOARD_READ})
    public ForecastHistory history(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("step") String step,
            @QueryParam("persona") List<String> personas,
            @QueryParam("size") List<String> sizes,
            @QueryParam("owner") List<String> owners,
            @QueryParam("close_month") List<String> closeMonths,
            @QueryParam("definition_version") String definitionVersion,
            @QueryParam("currency") String currency) {
        QueryParams params = new QueryParams();
        GetForecastHistoryRequest.Builder get = GetForecastHistoryRequest.newBuilder()
                .setFilter(filter(params, personas, sizes, owners, closeMonths))
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE))
                .setCurrency(currency == null ? "" : currency.trim());
        params.timestamp("from", from, get::setFrom);
        params.timestamp("to", to, get::setTo);
        params.enumValue("step", step, Granularity.getDescriptor(), Granularity::forNumber, get::setStep);
        params.throwIfInvalid();
        return backends.forecast(Callers.of(request)).getForecastHistory(get.build());
    }

    /**
     * {@code GET /api/v1/forecast/waterfall?from=2025-03-19&to=2025-03-26&owner=ana&accounts_per_step=5}: why
     * the expected revenue moved between the forecast as known at {@code from} and as known at {@code to}, one
     * step per reason with its largest trials (ForecastService.GetForecastWaterfall).
     */
    @GET
    @Path("/waterfall")
    @Produces(MediaType.APPLICATION_JSON)
    @Summary("Why the forecast moved between two instants, step by step (new, won, lost, persona, deal size)")
    @RequiresScope({Scope.FORECAST_READ, Scope.DASHBOARD_READ})
    public ForecastWaterfall waterfall(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("from") String from,
            @QueryParam("to") String to,
            @QueryParam("persona") List<String> personas,
            @QueryParam("size") List<String> sizes,
            @QueryParam("owner") List<String> owners,
            @QueryParam("close_month") List<String> closeMonths,
            @QueryParam("from_definition_version") String fromDefinitionVersion,
            @QueryParam("to_definition_version") String toDefinitionVersion,
            @QueryParam("accounts_per_step") String accountsPerStep,
            @QueryParam("currency") String currency) {
        QueryParams params = new QueryParams();
        GetForecastWaterfallRequest.Builder get = GetForecastWaterfallRequest.newBuilder()
                .setFilter(filter(params, personas, sizes, owners, closeMonths))
                .setFromDefinitionVersion(params.integer("from_definition_version", fromDefinitionVersion, 0, 0, Integer.MAX_VALUE))
                .setToDefinitionVersion(params.integer("to_definition_version", toDefinitionVersion, 0, 0, Integer.MAX_VALUE))
                .setAccountsPerStep(params.integer("accounts_per_step", accountsPerStep, 0, 0, 1000))
                .setCurrency(currency == null ? "" : currency.trim());
        params.timestamp("from", from, get::setFrom);
        params.timestamp("to", to, get::setTo);
        params.throwIfInvalid();
        return backends.forecast(Callers.of(request)).getForecastWaterfall(get.build());
    }

    /**
     * {@code GET /api/v1/forecast/lines.csv}: one row per open trial (all of them, streamed as
     * the forecast service produces them), filtered like the JSON forecast. {@code bom=true} starts
     * the file with a UTF-8 byte order mark, without which Excel reads UTF-8 as the local code page
     * ("SociÃ©tÃ© GÃ©nÃ©rale"); it is the default when the client asks for {@code text/csv; excel}.
     */
    @GET
    @Path("/lines.csv")
    @Summary("Every open trial's forecast line as CSV (RFC 4180), streamed")
    @Produces("text/csv")
    @RequiresScope({Scope.FORECAST_READ, Scope.DASHBOARD_READ})
    public Response lines(@jakarta.ws.rs.core.Context ContainerRequestContext request,
            @QueryParam("persona") List<String> personas,
            @QueryParam("size") List<String> sizes,
            @QueryParam("owner") List<String> owners,
            @QueryParam("close_month") List<String> closeMonths,
            @QueryParam("as_of") String asOf,
            @QueryParam("known_at") String knownAt,
            @QueryParam("definition_version") String definitionVersion,
            @QueryParam("currency") String currency,
            @QueryParam("bom") String bom) {
        QueryParams params = new QueryParams();
        boolean byteOrderMark = bom != null ? params.bool("bom", bom) : ForecastCsv.excelAccepted(request.getHeaderString(HttpHeaders.ACCEPT));
        StreamForecastLinesRequest.Builder stream = StreamForecastLinesRequest.newBuilder()
                .setFilter(filter(params, personas, sizes, owners, closeMonths))
                .setDefinitionVersion(params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE))
                .setCurrency(currency == null ? "" : currency.trim());
        var instant = params.timestamp("as_of", asOf);
        if (instant != null) {
            stream.setAsOf(instant);
        }
        var known = params.timestamp("known_at", knownAt);
        if (known != null) {
            stream.setKnownAt(known);
        }
        params.throwIfInvalid();
        Caller caller = Callers.of(request);

        // Open the stream and read its first line before answering, so an error (bad version,
        // backend down) is still a proper HTTP error and not a truncated 200.
        Context.CancellableContext scope = Context.current().withCancellation();
        Iterator<ForecastLine> lines;
        ForecastLine first;
        Context previous = scope.attach();
        try {
            // a window of rows requested ahead: the blocking stub's one-at-a-time requests capped exports at 20k-50k rows/s
            lines = WindowedStreamReader.start(backends.forecastExport(caller), ForecastServiceGrpc.getStreamForecastLinesMethod(),
                    stream.build(), EXPORT_WINDOW);
            first = lines.hasNext() ? lines.next() : null;
        } catch (RuntimeException e) {
            scope.cancel(e);
            throw e;
        } finally {
            scope.detach(previous);
        }
        StreamingOutput body = output -> {
            try {
                BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
                if (byteOrderMark) {
                    writer.write(ForecastCsv.BYTE_ORDER_MARK);
                }
                ForecastCsv csv = new ForecastCsv(writer);
                csv.writeHeader();
                if (first != null) {
                    csv.write(first);
                }
                while (lines.hasNext()) {
                    csv.write(lines.next());
                }
                writer.flush();
            } catch (IOException | RuntimeException e) {
                scope.cancel(e);
                throw e;
            } finally {
                scope.cancel(null);
            }
        };
        // named after the instants of the lines (the forecast service's evaluation instant), else of the request
        Timestamp named = first != null && first.hasAsOf() ? first.getAsOf() : instant != null ? instant : now();
        String filename = ForecastCsv.fileName(named, first != null && first.hasKnownAt() ? first.getKnownAt() : known);
        return Response.ok(body, "text/csv; charset=utf-8")
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + filename + "\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private static Timestamp now() {
        java.time.Instant now = java.time.Instant.now();
        return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).build();
    }

    static ForecastFilter filter(QueryParams params, List<String> personas, List<String> sizes, List<String> owners,
            List<String> closeMonths) {
        List<String> months = QueryParams.values(closeMonths);
        for (String month : months) {
            if (!month.matches("\\d{4}-(0[1-9]|1[0-2])")) {
                params.add("close_month", "must be YYYY-MM, got '" + month + "'");
            }
        }
        return ForecastFilter.newBuilder()
                .addAllPersonas(params.enums("persona", personas, Persona.getDescriptor(), Persona::forNumber))
                .addAllOpportunitySizes(params.enums("size", sizes, OpportunitySize.getDescriptor(),
                        OpportunitySize::forNumber))
                .addAllOwners(QueryParams.values(owners))
                .addAllCloseMonths(months)
                .build();
    }
}
