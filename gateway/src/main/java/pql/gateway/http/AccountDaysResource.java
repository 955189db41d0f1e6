package pql.gateway.http;

import com.google.protobuf.Timestamp;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import pql.gateway.auth.Scope;
import pql.v1.AccountScore;
import pql.v1.GetAccountScoreRequest;
import pql.v1.ScoringServiceGrpc;

/**
 * An account's history for its dashboard page: the existing as-of read (GetAccountScore with
 * {@code as_of}) once per day, so the chart shows what scoring said on each day, from the log.
 */
@Path("/api/v1/dashboard/accounts")
@Produces(MediaType.APPLICATION_JSON)
public final class AccountDaysResource {

    private static final int DEFAULT_DAYS = 30;
    private static final int MAX_DAYS = 180;

    private final BackendStubs backends;

    public AccountDaysResource(BackendStubs backends) {
        this.backends = backends;
    }

    /**
     * {@code GET /api/v1/dashboard/accounts/{account}/days?to=2025-06-30&days=30}: the account as of
     * the end of each of the {@code days} days up to {@code to} (default: the day of its last
     * activity, else today), oldest first; never past the present, nor before its first event.
     */
    @GET
    @Path("/{account}/days")
    @RequiresScope({Scope.SCORES_READ, Scope.DASHBOARD_READ})
    public AccountDays days(@Context ContainerRequestContext request,
            @PathParam("account") String account,
            @QueryParam("to") String to,
            @QueryParam("days") String daysParam,
            @QueryParam("definition_version") String definitionVersion) {
        QueryParams params = new QueryParams();
        int days = params.integer("days", daysParam, DEFAULT_DAYS, 1, MAX_DAYS);
        Timestamp end = params.timestamp("to", to);
        int version = params.integer("definition_version", definitionVersion, 0, 0, Integer.MAX_VALUE);
        params.throwIfInvalid();
        ScoringServiceGrpc.ScoringServiceBlockingStub scoring = backends.scoring(Callers.of(request));
        GetAccountScoreRequest.Builder read = GetAccountScoreRequest.newBuilder()
                .setAccountId(account)
                .setDefinitionVersion(version);
        Instant now = Instant.now();
        AccountScore current = scoring.getAccountScore(read.build());
        LocalDate last = lastDay(end, now, current);
        LocalDate first = last.minusDays(days - 1L);
        if (current.getProfile().hasFirstSeenAt()) {
            // scoring knows no account before its first event (NOT_FOUND): the series starts there
            LocalDate signup = LocalDate.ofInstant(Instant.ofEpochSecond(current.getProfile().getFirstSeenAt().getSeconds()),
                    ZoneOffset.UTC);
            first = signup.isAfter(first) ? signup : first;
        }
        List<AccountDays.Day> series = new ArrayList<>(days);
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            Instant endOfDay = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
            Instant asOf = endOfDay.isAfter(now) ? now : endOfDay;
            AccountScore score = scoring.getAccountScore(read.clone()
                    .setAsOf(Timestamp.newBuilder().setSeconds(asOf.getEpochSecond()))
                    .build());
            series.add(AccountDays.Day.of(day.toString(), score));
        }
        return new AccountDays(account, series);
    }

    private static LocalDate lastDay(Timestamp asked, Instant now, AccountScore score) {
        if (asked != null) {
            Instant instant = Instant.ofEpochSecond(asked.getSeconds());
            return LocalDate.ofInstant(instant.isAfter(now) ? now : instant, ZoneOffset.UTC);
        }
        Instant activity = score.getLead().hasLastActivityAt()
                ? Instant.ofEpochSecond(score.getLead().getLastActivityAt().getSeconds())
                : now;
        return LocalDate.ofInstant(activity, ZoneOffset.UTC);
    }
}
