package pql.forecast.domain.revenue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.OutcomeKind;
import pql.forecast.domain.Persona;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.PersonaOdds;

/**
 * How expected revenue moved between two forecasts (finance's weekly "why did it change"): every
 * trial counted at either end is explained by movements that sum, trial by trial and so in total,
 * exactly to the difference of the two forecasts. A trial counted at both ends moves in this order:
 * its deal size at its old odds, then the definition's odds for its old persona, then its persona
 * (the rest) — so no amount is counted twice or left over.
 */
public final class ForecastWaterfall {

    /** Why a trial's expected revenue moved. */
    public enum Movement {
        /** Counted at the end, not an open trial at the start (signed up, or became a trial). */
        NEW_TRIAL,
        /** Counted at the start, converted since. */
        CLOSED_WON,
        /** Counted at the start, lost since. */
        CLOSED_LOST,
        /** A persona with higher odds. */
        PERSONA_UP,
        /** A persona with lower odds. */
        PERSONA_DOWN,
        /** The deal size in the reporting currency changed: a new deal size or a new exchange rate (valued at the old odds). */
        DEAL_SIZE,
        /** The definition version's odds for the same persona changed. */
        DEFINITION,
        /** Counted at one end only for another reason: deal size recorded or removed, currency, filter, plan. */
        OTHER
    }

    /** One trial's share of one movement. */
    public record AccountMovement(String accountId, Movement movement, long amountMicros, Persona personaBefore,
            Persona personaAfter) {
    }

    /** One movement over every trial: its exact total, how many trials, and those trials by size of their share. */
    public record Step(Movement movement, BigInteger amountMicros, long accounts, List<AccountMovement> largest) {
    }

    /**
     * @param startMicros the expected revenue of the first forecast, exactly
     * @param endMicros of the second; {@code start + sum of steps == end}
     */
    public record Result(BigInteger startMicros, BigInteger endMicros, List<Step> steps) {
    }

    private ForecastWaterfall() {
    }

    /**
     * Both portfolios sorted by account id (as portfolios are). {@code accountsPerStep} limits the
     * trials listed per step (the largest shares first); totals and counts cover every trial.
     */
    public static Result between(List<AccountSnapshot> before, PersonaOdds oddsBefore, TrialSelector selectorBefore,
            List<AccountSnapshot> after, PersonaOdds oddsAfter, TrialSelector selectorAfter, int accountsPerStep) {
        Map<Movement, Accumulator> steps = new EnumMap<>(Movement.class);
        for (Movement movement : Movement.values()) {
            steps.put(movement, new Accumulator(accountsPerStep));
        }
        ExactSum start = new ExactSum();
        ExactSum end = new ExactSum();
        int i = 0;
        int j = 0;
        while (i < before.size() || j < after.size()) {
            int order = i == before.size() ? 1 : j == after.size() ? -1
                    : before.get(i).accountId().compareTo(after.get(j).accountId());
            AccountSnapshot was = order <= 0 ? before.get(i++) : null;
            AccountSnapshot is = order >= 0 ? after.get(j++) : null;
            Counted first = Counted.of(was, selectorBefore, oddsBefore);
            Counted second = Counted.of(is, selectorAfter, oddsAfter);
            if (first != null) {
                start.add(first.expectedMicros);
            }
            if (second != null) {
                end.add(second.expectedMicros);
            }
            for (AccountMovement movement : movements(was, first, is, second, selectorBefore, oddsBefore, oddsAfter)) {
                steps.get(movement.movement()).add(movement);
            }
        }
        List<Step> result = new ArrayList<>();
        steps.forEach((movement, accumulator) -> result.add(accumulator.step(movement)));
        return new Result(start.value(), end.value(), result);
    }

    private static List<AccountMovement> movements(AccountSnapshot was, Counted first, AccountSnapshot is, Counted second,
            TrialSelector selector, PersonaOdds oddsBefore, PersonaOdds oddsAfter) {
        if (first == null && second == null) {
            return List.of();
        }
        String id = was != null ? was.accountId() : is.accountId();
        if (first == null) {
            boolean openBefore = was != null && selector.verdict(was, selector.classify(was)) != TrialSelector.Verdict.NOT_OPEN;
            return List.of(new AccountMovement(id, openBefore ? Movement.OTHER : Movement.NEW_TRIAL, second.expectedMicros,
                    null, second.persona));
        }
        if (second == null) {
            Movement why = Movement.OTHER;
            if (is != null && is.outcome() != null && is.outcome().kind() == OutcomeKind.CONVERTED) {
                why = Movement.CLOSED_WON;
            } else if (is != null && is.outcome() != null && is.outcome().kind() == OutcomeKind.LOST) {
                why = Movement.CLOSED_LOST;
            }
            return List.of(new AccountMovement(id, why, -first.expectedMicros, first.persona, null));
        }
        List<AccountMovement> moves = new ArrayList<>(3);
        long deal = second.dealMicros;
        long atOldOdds = oddsBefore.of(first.persona).applyTo(deal);
        long atNewDefinition = oddsAfter.of(first.persona).applyTo(deal);
        addIfMoved(moves, id, Movement.DEAL_SIZE, atOldOdds - first.expectedMicros, first, second);
        addIfMoved(moves, id, Movement.DEFINITION, atNewDefinition - atOldOdds, first, second);
        long personaShare = second.expectedMicros - atNewDefinition;
        addIfMoved(moves, id, personaShare > 0 ? Movement.PERSONA_UP : Movement.PERSONA_DOWN, personaShare, first, second);
        return moves;
    }

    private static void addIfMoved(List<AccountMovement> moves, String id, Movement movement, long amount, Counted first,
            Counted second) {
        if (amount != 0) {
            moves.add(new AccountMovement(id, movement, amount, first.persona, second.persona));
        }
    }

    /** A trial as one forecast counts it: its persona and expected revenue; null when not counted. */
    private record Counted(Persona persona, long dealMicros, long expectedMicros) {

        static Counted of(AccountSnapshot account, TrialSelector selector, PersonaOdds odds) {
            if (account == null) {
                return null;
            }
            PersonaMatch match = selector.classify(account);
            if (selector.verdict(account, match) != TrialSelector.Verdict.INCLUDED) {
                return null;
            }
            long deal = selector.price(account).micros(); // in the reporting currency, at the end's own rate
            return new Counted(match.persona(), deal, odds.of(match.persona()).applyTo(deal));
        }
    }

    /** A step's exact total and count, keeping only its largest shares (by absolute amount) to list. */
    private static final class Accumulator {
        private static final Comparator<AccountMovement> LARGEST_FIRST = Comparator
                .comparing((AccountMovement m) -> Math.abs((double) m.amountMicros())).reversed()
                .thenComparing(AccountMovement::accountId);

        private final int keep;
        private final ExactSum total = new ExactSum();
        private final List<AccountMovement> kept = new ArrayList<>();
        private long count;

        Accumulator(int keep) {
            this.keep = keep;
        }

        void add(AccountMovement movement) {
            total.add(movement.amountMicros());
            count++;
            if (keep > 0) {
                kept.add(movement);
                if (kept.size() >= 2 * keep) {
                    kept.sort(LARGEST_FIRST); // amortised: trim to the largest when the buffer doubles
                    kept.subList(keep, kept.size()).clear();
                }
            }
        }

        Step step(Movement movement) {
            kept.sort(LARGEST_FIRST);
            List<AccountMovement> largest = List.copyOf(kept.subList(0, Math.min(keep, kept.size())));
            return new Step(movement, total.value(), count, largest);
        }
    }
}
