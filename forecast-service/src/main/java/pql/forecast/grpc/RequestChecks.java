package pql.forecast.grpc;

import com.google.protobuf.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import pql.common.grpc.FieldViolations;
import pql.common.grpc.PageTokens;
import pql.common.grpc.ReadInstants;
import pql.forecast.domain.CloseMonth;
import pql.forecast.domain.OpportunitySize;
import pql.forecast.domain.Persona;
import pql.forecast.domain.revenue.Dimension;
import pql.forecast.domain.revenue.ForecastFilter;
import pql.v1.ForecastDimension;

/**
 * Reads and checks a request's fields, collecting every problem with its path so a caller sees
 * them all at once (INVALID_ARGUMENT with google.rpc.BadRequest).
 */
final class RequestChecks {

    static final String DEFAULT_CURRENCY = "USD";
    static final double DEFAULT_CONFIDENCE = 0.95;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._:@/-]{1,128}");
    /** Timestamp's valid range: 0001-01-01 .. 9999-12-31. */
    private static final long MIN_SECONDS = -62_135_596_800L;
    private static final long MAX_SECONDS = 253_402_300_799L;
    private static final int MAX_OWNER_LENGTH = 256;

    private final FieldViolations violations = new FieldViolations();

    void throwIfAny() {
        violations.throwIfAny("invalid request");
    }

    void add(String field, String description) {
        violations.add(field, description);
    }

    /** Where the page starts, null for the first page (or a token of another request, then a violation). */
    PageTokens.Position pageToken(String token, long fingerprint) {
        return PageTokens.decode(token, fingerprint, violations);
    }

    String currency(String field, String value) {
        if (value.isEmpty()) {
            return DEFAULT_CURRENCY;
        }
        if (!CURRENCY.matcher(value).matches()) {
            violations.add(field, "must be an ISO 4217 code of three upper-case letters, got '" + value + "'");
        }
        return value;
    }

    int version(String field, int version) {
        if (version < 0) {
            violations.add(field, "must be >= 0 (0 = the active version), got " + version);
        }
        return version;
    }

    /** Epoch millis, or null when absent. */
    Long instant(String field, boolean present, Timestamp timestamp) {
        if (!present) {
            return null;
        }
        if (timestamp.getSeconds() < MIN_SECONDS || timestamp.getSeconds() > MAX_SECONDS || timestamp.getNanos() < 0
                || timestamp.getNanos() > 999_999_999) {
            violations.add(field, "not a valid timestamp");
            return null;
        }
        return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
    }

    /**
     * An instant a read may be asked about ({@code as_of}, {@code known_at}): as {@link #instant}, and not
     * later than the server's clock plus {@link ReadInstants#CLOCK_SKEW}.
     */
    Long pastInstant(String field, boolean present, Timestamp timestamp, Clock clock) {
        Long millis = instant(field, present, timestamp);
        if (millis != null) {
            String problem = ReadInstants.futureProblem(millis, clock);
            if (problem != null) {
                violations.add(field, problem);
            }
        }
        return millis;
    }

    String accountId(String field, String value) {
        if (value.isEmpty()) {
            violations.add(field, "required");
        } else if (!ACCOUNT_ID.matcher(value).matches()) {
            violations.add(field, "must be 1..128 characters of [A-Za-z0-9._:@/-]");
        }
        return value;
    }

    List<Dimension> groupBy(String field, List<ForecastDimension> dimensions) {
        List<Dimension> result = new ArrayList<>();
        Set<Dimension> seen = EnumSet.noneOf(Dimension.class);
        for (int i = 0; i < dimensions.size(); i++) {
            String path = field + "[" + i + "]";
            Dimension dimension = switch (dimensions.get(i)) {
                case FORECAST_DIMENSION_PERSONA -> Dimension.PERSONA;
                case FORECAST_DIMENSION_OPPORTUNITY_SIZE -> Dimension.OPPORTUNITY_SIZE;
                case FORECAST_DIMENSION_OWNER -> Dimension.OWNER;
                case FORECAST_DIMENSION_CLOSE_MONTH -> Dimension.CLOSE_MONTH;
                default -> null;
            };
            if (dimension == null) {
                violations.add(path, "unknown dimension " + describe(dimensions.get(i)));
            } else if (!seen.add(dimension)) {
                violations.add(path, "repeats " + dimensions.get(i));
            } else {
                result.add(dimension);
            }
        }
        return result;
    }

    private static String describe(ForecastDimension dimension) {
        return dimension == ForecastDimension.UNRECOGNIZED ? "(unrecognized number)" : dimension.name();
    }

    ForecastFilter filter(String field, pql.v1.ForecastFilter filter) {
        Set<Persona> personas = EnumSet.noneOf(Persona.class);
        for (int i = 0; i < filter.getPersonasCount(); i++) {
            Persona persona = ScoreMapper.persona(filter.getPersonas(i));
            if (persona == null) {
                violations.add(field + ".personas[" + i + "]", "unknown persona " + filter.getPersonasValue(i));
            } else {
                personas.add(persona);
            }
        }
        Set<OpportunitySize> sizes = EnumSet.noneOf(OpportunitySize.class);
        for (int i = 0; i < filter.getOpportunitySizesCount(); i++) {
            OpportunitySize size = ScoreMapper.opportunitySize(filter.getOpportunitySizes(i));
            if (size == OpportunitySize.UNSPECIFIED) {
                violations.add(field + ".opportunity_sizes[" + i + "]", "unknown opportunity size " + filter.getOpportunitySizesValue(i));
            } else {
                sizes.add(size);
            }
        }
        Set<String> owners = new HashSet<>();
        for (int i = 0; i < filter.getOwnersCount(); i++) {
            String owner = filter.getOwners(i);
            if (owner.length() > MAX_OWNER_LENGTH) {
                violations.add(field + ".owners[" + i + "]", "longer than " + MAX_OWNER_LENGTH + " characters");
            }
            owners.add(owner);
        }
        Set<String> months = new LinkedHashSet<>();
        for (int i = 0; i < filter.getCloseMonthsCount(); i++) {
            String month = filter.getCloseMonths(i);
            if (!CloseMonth.isValid(month)) {
                violations.add(field + ".close_months[" + i + "]", "must be YYYY-MM (or '" + CloseMonth.UNSCHEDULED
                        + "'), got '" + month + "'");
            }
            months.add(month);
        }
        return new ForecastFilter(personas, sizes, owners, months);
    }

    double confidence(String field, double value) {
        if (value == 0) {
            return DEFAULT_CONFIDENCE;
        }
        if (!(value > 0 && value < 1)) {
            violations.add(field, "must be in (0, 1), got " + value);
        }
        return value;
    }

    int pageSize(String field, int value, int defaultSize, int maxSize) {
        if (value == 0) {
            return defaultSize;
        }
        if (value < 0 || value > maxSize) {
            violations.add(field, "must be 1.." + maxSize + " (0 = " + defaultSize + "), got " + value);
        }
        return value;
    }
}
