package pql.forecast.domain;

import java.time.Instant;
import java.util.List;

/**
 * Builds account snapshots for domain tests: an open USD trial with good fit unless told otherwise.
 * Like scoring-service, it supplies the persona with the levels: {@link #persona} gives a row's levels
 * and exact persona; levels no row names need {@link #scoringSays} (forecast-service never applies
 * seed 004's table itself).
 */
public final class Trials {

    private String accountId;
    private String name;
    private String owner = "ann";
    private OpportunitySize size = OpportunitySize.MID;
    private Plan plan = Plan.TRIAL;
    private Fit fit = Fit.GOOD;
    private boolean hasDeal = true;
    private long dealMicros = 10_000_000_000L;
    private String currency = "USD";
    private Long trialEnd = Instant.parse("2025-03-15T12:00:00Z").toEpochMilli();
    private Levels levels = Levels.of(Level.HIGH, Level.HIGH, CommunicationLevel.ACTIVE);
    private LevelEvidence evidence = new LevelEvidence(0.83, 212.46, 91, 4, 1);
    private Persona persona = Persona.GOLDEN_LEAD;
    private boolean approximate;
    private int distance;
    private List<Persona> ties = List.of();
    private OutcomeKind outcomeKind;
    private long outcomeAt;
    private Persona personaBeforeClose;
    /** A conversion's contract value; null: the deal size. */
    private Long outcomeAmountMicros;
    private int version = 1;

    private Trials(String accountId) {
        this.accountId = accountId;
        this.name = "Account " + accountId;
    }

    public static Trials trial(String accountId) {
        return new Trials(accountId);
    }

    public Trials persona(Persona persona) {
        this.levels = persona.indicators();
        scoringSays(persona, false, 0);
        this.fit = switch (persona.fitRequirement()) {
            case POOR -> Fit.POOR;
            default -> Fit.GOOD;
        };
        return this;
    }

    public Trials levels(Level activation, Level engagement, CommunicationLevel communication) {
        this.levels = Levels.of(activation, engagement, communication);
        this.persona = null;
        return this;
    }

    /** The persona scoring-service reports for these levels and fit (its rule, its distance and ties). */
    public Trials scoringSays(Persona persona, boolean approximate, int distance, Persona... ties) {
        this.persona = persona;
        this.approximate = approximate;
        this.distance = distance;
        this.ties = List.of(ties);
        return this;
    }

    public Trials fit(Fit fit) {
        this.fit = fit;
        return this;
    }

    public Trials owner(String owner) {
        this.owner = owner;
        return this;
    }

    public Trials size(OpportunitySize size) {
        this.size = size;
        return this;
    }

    public Trials plan(Plan plan) {
        this.plan = plan;
        return this;
    }

    /** Deal size in dollars and cents, e.g. "12345.67". */
    public Trials deal(String amount) {
        return dealMicros(new java.math.BigDecimal(amount).movePointRight(6).longValueExact());
    }

    public Trials dealMicros(long micros) {
        this.hasDeal = true;
        this.dealMicros = micros;
        return this;
    }

    public Trials noDeal() {
        this.hasDeal = false;
        this.dealMicros = 0;
        this.currency = "";
        return this;
    }

    public Trials currency(String currency) {
        this.currency = currency;
        return this;
    }

    public Trials trialEnd(String instant) {
        this.trialEnd = instant == null ? null : Instant.parse(instant).toEpochMilli();
        return this;
    }

    public Trials evidence(LevelEvidence evidence) {
        this.evidence = evidence;
        return this;
    }

    /** @param before the persona whose row the levels just before close were; null: not recorded */
    public Trials closed(OutcomeKind kind, String at, Persona before) {
        this.outcomeKind = kind;
        this.outcomeAt = Instant.parse(at).toEpochMilli();
        this.personaBeforeClose = before;
        return this;
    }

    /** Converted at {@code at} for a contract of {@code amount} dollars (the deal size may differ). */
    public Trials converted(String at, String amount, Persona before) {
        closed(OutcomeKind.CONVERTED, at, before);
        this.outcomeAmountMicros = new java.math.BigDecimal(amount).movePointRight(6).longValueExact();
        return this;
    }

    public Trials version(int version) {
        this.version = version;
        return this;
    }

    public AccountSnapshot build() {
        if (persona == null) {
            throw new IllegalStateException("levels no row names: say what scoring reports (scoringSays)");
        }
        ClosedOutcome outcome = outcomeKind == null ? null : new ClosedOutcome(outcomeKind, outcomeAt,
                personaBeforeClose == null ? null : personaBeforeClose.indicators(),
                personaBeforeClose == null ? null : PersonaMatch.reported(personaBeforeClose, false, 0, List.of(),
                        personaBeforeClose.indicators(), fit),
                outcomeKind != OutcomeKind.CONVERTED ? 0 : outcomeAmountMicros != null ? outcomeAmountMicros : dealMicros,
                outcomeKind == OutcomeKind.CONVERTED ? currency : "");
        return new AccountSnapshot(accountId, name, owner, size, plan, fit, hasDeal, dealMicros, currency,
                CloseMonth.of(trialEnd), trialEnd, levels, PersonaMatch.reported(persona, approximate, distance, ties, levels, fit),
                evidence, outcome, version, 0);
    }
}
