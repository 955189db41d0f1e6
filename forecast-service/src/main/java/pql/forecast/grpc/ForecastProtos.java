package pql.forecast.grpc;

import com.google.protobuf.Timestamp;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import pql.forecast.app.DefinitionOdds;
import pql.forecast.app.Forecasting;
import pql.forecast.domain.AccountSnapshot;
import pql.forecast.domain.Explanation;
import pql.forecast.domain.Odds;
import pql.forecast.domain.PersonaMatch;
import pql.forecast.domain.calibration.CalibrationReport;
import pql.forecast.domain.calibration.PersonaCalibration;
import pql.forecast.domain.currency.ExchangeRate;
import pql.forecast.domain.currency.Priced;
import pql.forecast.domain.currency.UnconvertedCurrency;
import pql.forecast.domain.revenue.AccountChange;
import pql.forecast.domain.revenue.ForecastGroup;
import pql.forecast.domain.revenue.ForecastLine;
import pql.forecast.domain.revenue.ForecastWaterfall;
import pql.forecast.domain.revenue.GroupKey;
import pql.forecast.domain.revenue.RevenueRange;
import pql.v1.AccountForecastChange;
import pql.v1.AppliedExchangeRate;
import pql.v1.Calibration;
import pql.v1.Conversion;
import pql.v1.ExplanationFactor;
import pql.v1.Forecast;
import pql.v1.Money;
import pql.v1.PersonaClassification;
import pql.v1.WaterfallAccount;
import pql.v1.WaterfallMovement;
import pql.v1.WaterfallStep;

/** The domain's answers in their wire form. */
public final class ForecastProtos {

    private ForecastProtos() {
    }

    public static Forecast forecast(Forecasting.VersionedForecast versioned, String currency) {
        pql.forecast.domain.revenue.Forecast forecast = versioned.forecast();
        ForecastGroup total = forecast.total();
        Forecast.Builder proto = Forecast.newBuilder()
                .setAsOf(timestamp(versioned.asOf()))
                .setHeadPosition(versioned.knowledge().headPosition())
                .setDefinitionVersion(versioned.definition().version())
                .setCurrency(currency)
                .setOpenTrials(total.openTrials())
                .setPipeline(money(total.pipelineMicros(), currency))
                .setExpectedRevenue(money(total.expectedMicros(), currency))
                .setRange(range(total.range(), currency))
                .setSkippedOtherCurrency(forecast.skippedOtherCurrency())
                .setSkippedNoDealSize(forecast.skippedNoDealSize())
                .setApproximateClassifications(forecast.approximateClassifications())
                .setConvertedTrials(forecast.convertedTrials())
                .setUnconvertedTrials(forecast.skippedOtherCurrency());
        for (UnconvertedCurrency unconverted : forecast.unconverted()) {
            proto.addUnconvertedCurrencies(pql.v1.UnconvertedCurrency.newBuilder().setCurrency(unconverted.currency())
                    .setOpenTrials(unconverted.trials()).setPipeline(money(unconverted.pipelineMicros(), unconverted.currency()))
                    .setReason(unconverted.reason()));
        }
        if (forecast.warning() != null) {
            proto.addWarnings(forecast.warning());
        }
        if (versioned.knowledge().knownAtMillis() != null) {
            proto.setKnownAt(timestamp(versioned.knowledge().knownAtMillis()));
        }
        for (ForecastGroup group : forecast.groups()) {
            GroupKey key = group.key();
            pql.v1.ForecastGroup.Builder builder = pql.v1.ForecastGroup.newBuilder()
                    .setOpenTrials(group.openTrials())
                    .setPipeline(money(group.pipelineMicros(), currency))
                    .setExpectedRevenue(money(group.expectedMicros(), currency))
                    .setRange(range(group.range(), currency));
            if (key.persona() != null) {
                builder.setPersona(ScoreMapper.toProto(key.persona()));
            }
            if (key.opportunitySize() != null) {
                builder.setOpportunitySize(ScoreMapper.toProto(key.opportunitySize()));
            }
            if (key.owner() != null) {
                builder.setOwner(key.owner());
            }
            if (key.closeMonth() != null) {
                builder.setCloseMonth(key.closeMonth());
            }
            proto.addGroups(builder);
        }
        return proto.build();
    }

    /**
     * One export line. Its explanation carries the rule and the text, which states every level and
     * number behind the persona; the same numbers as machine-readable factors come with
     * ClassifyAccount. An export of 100k+ rows would otherwise repeat 14 constant strings per row,
     * more than half of its bytes.
     */
    public static pql.v1.ForecastLine line(ForecastLine line, Explanation explanation, DefinitionOdds definition, String currency) {
        return line(line, explanation, definition, currency, pql.v1.ForecastLine.getDefaultInstance());
    }

    /** The instants every line of {@code export} carries: as_of, known_at (when asked) and the log position used. */
    public static pql.v1.ForecastLine instants(Forecasting.LineExport export) {
        pql.v1.ForecastLine.Builder instants = pql.v1.ForecastLine.newBuilder()
                .setAsOf(timestamp(export.asOf()))
                .setHeadPosition(export.knowledge().headPosition());
        if (export.knowledge().knownAtMillis() != null) {
            instants.setKnownAt(timestamp(export.knowledge().knownAtMillis()));
        }
        return instants.build();
    }

    /** One export line, with the export's {@link #instants}. */
    public static pql.v1.ForecastLine line(ForecastLine line, Explanation explanation, DefinitionOdds definition, String currency,
            pql.v1.ForecastLine instants) {
        AccountSnapshot account = line.account();
        pql.v1.ForecastLine.Builder proto = instants.toBuilder()
                .setAccountId(account.accountId())
                .setAccountName(account.name())
                .setOwner(account.owner())
                .setOpportunitySize(ScoreMapper.toProto(account.opportunitySize()))
                .setCloseMonth(account.closeMonth())
                .setClassification(classification(account.accountId(), line.match(), line.odds(),
                        pql.v1.Explanation.newBuilder().setRule(explanation.rule()).setText(explanation.text()).build(),
                        definition.version()));
        return conversion(proto, line.deal(), line.expectedMicros(), currency).build();
    }

    /** A line's amounts: the original deal, and in the reporting currency with the rate used (or the warning). */
    private static pql.v1.ForecastLine.Builder conversion(pql.v1.ForecastLine.Builder line, Priced deal, long expectedMicros,
            String currency) {
        line.setOriginalDealSize(money(deal.originalMicros(), deal.originalCurrency()));
        if (!deal.counted()) {
            return line.setConversion(Conversion.CONVERSION_UNCONVERTED).setWarning(deal.reason());
        }
        line.setDealSize(money(deal.micros(), currency)).setExpectedRevenue(money(expectedMicros, currency));
        if (deal.kind() == Priced.Kind.SAME_CURRENCY) {
            return line.setConversion(Conversion.CONVERSION_SAME_CURRENCY);
        }
        ExchangeRate rate = deal.rate();
        return line.setConversion(Conversion.CONVERSION_CONVERTED).setExchangeRate(AppliedExchangeRate.newBuilder()
                .setBase(rate.base()).setQuote(rate.quote()).setRate(rate.rate().toPlainString())
                .setEffectiveDate(rate.effectiveDate().toString()).setRecordedAt(timestamp(rate.recordedAtMillis())));
    }

    public static PersonaClassification classification(Forecasting.AccountClassification classified) {
        return classification(classified.account().accountId(), classified.match(), classified.odds(),
                explanation(classified.explanation()), classified.definition().version());
    }

    private static PersonaClassification classification(String accountId, PersonaMatch match, Odds odds,
            pql.v1.Explanation explanation, int version) {
        return PersonaClassification.newBuilder()
                .setAccountId(accountId)
                .setPersona(ScoreMapper.toProto(match.persona()))
                .setOdds(odds.value())
                .setApproximate(match.approximate())
                .setActivationLevel(ScoreMapper.toProto(match.levels().activation()))
                .setEngagementLevel(ScoreMapper.toProto(match.levels().engagement()))
                .setCommunicationLevel(ScoreMapper.toProto(match.levels().communication()))
                .setFit(ScoreMapper.toProto(match.fit()))
                .setExplanation(explanation)
                .setDefinitionVersion(version)
                .build();
    }

    static pql.v1.Explanation explanation(Explanation explanation) {
        pql.v1.Explanation.Builder builder = pql.v1.Explanation.newBuilder()
                .setRule(explanation.rule())
                .setText(explanation.text());
        for (Explanation.Factor factor : explanation.factors()) {
            builder.addFactors(ExplanationFactor.newBuilder().setName(factor.name()).setValue(factor.value())
                    .setDetail(factor.detail()));
        }
        return builder.build();
    }

    public static Calibration calibration(Forecasting.VersionedCalibration versioned) {
        CalibrationReport report = versioned.report();
        Calibration.Builder proto = Calibration.newBuilder()
                .setAsOf(timestamp(versioned.asOf()))
                .setHeadPosition(versioned.knowledge().headPosition())
                .setDefinitionVersion(versioned.definition().version())
                .setConfidence(report.confidence())
                .setClosedTrials(report.closedTrials())
                .setBrierScore(report.brierScore())
                .setMethod(report.method());
        if (versioned.knowledge().knownAtMillis() != null) {
            proto.setKnownAt(timestamp(versioned.knowledge().knownAtMillis()));
        }
        for (PersonaCalibration persona : report.personas()) {
            proto.addPersonas(pql.v1.PersonaCalibration.newBuilder()
                    .setPersona(ScoreMapper.toProto(persona.persona()))
                    .setPredictedOdds(persona.predictedOdds())
                    .setClosedTrials(persona.closedTrials())
                    .setConverted(persona.converted())
                    .setObservedRate(persona.observedRate())
                    .setIntervalLow(persona.interval().low())
                    .setIntervalHigh(persona.interval().high())
                    .setBrierScore(persona.brierScore())
                    .setSuggestedOdds(persona.suggestedOdds())
                    .setMiscalibrated(persona.miscalibrated()));
        }
        return proto.build();
    }

    public static AccountForecastChange change(AccountChange change, String currency) {
        return AccountForecastChange.newBuilder()
                .setAccountId(change.accountId())
                .setPersonaBefore(ScoreMapper.toProto(change.personaBefore()))
                .setPersonaAfter(ScoreMapper.toProto(change.personaAfter()))
                .setExpectedBefore(money(change.expectedBeforeMicros(), currency))
                .setExpectedAfter(money(change.expectedAfterMicros(), currency))
                .build();
    }

    /** Steps in the order of WaterfallMovement, each with its largest trials. */
    public static pql.v1.ForecastWaterfall waterfall(Forecasting.Waterfall waterfall, String currency) {
        pql.v1.ForecastWaterfall.Builder proto = pql.v1.ForecastWaterfall.newBuilder()
                .setStart(forecast(waterfall.start(), currency))
                .setEnd(forecast(waterfall.end(), currency));
        for (ForecastWaterfall.Step step : waterfall.movements().steps()) {
            WaterfallStep.Builder builder = WaterfallStep.newBuilder()
                    .setMovement(WaterfallMovement.valueOf("WATERFALL_MOVEMENT_" + step.movement().name()))
                    .setAmount(money(step.amountMicros(), currency))
                    .setAccounts(step.accounts());
            for (ForecastWaterfall.AccountMovement account : step.largest()) {
                WaterfallAccount.Builder row = WaterfallAccount.newBuilder().setAccountId(account.accountId())
                        .setAmount(money(account.amountMicros(), currency));
                if (account.personaBefore() != null) {
                    row.setPersonaBefore(ScoreMapper.toProto(account.personaBefore()));
                }
                if (account.personaAfter() != null) {
                    row.setPersonaAfter(ScoreMapper.toProto(account.personaAfter()));
                }
                builder.addLargest(row);
            }
            proto.addSteps(builder);
        }
        return proto.build();
    }

    static pql.v1.RevenueRange range(RevenueRange range, String currency) {
        return pql.v1.RevenueRange.newBuilder()
                .setP10(money(range.p10(), currency))
                .setP50(money(range.p50(), currency))
                .setP90(money(range.p90(), currency))
                .setMethod(range.method())
                .build();
    }

    static Money money(long micros, String currency) {
        return Money.newBuilder().setAmountMicros(micros).setCurrency(currency).build();
    }

    /**
     * A total, exact however large: beyond an int64 of micros, amount_micros holds the nearest
     * int64 and exact_amount the amount in currency units as a plain decimal.
     */
    static Money money(BigInteger micros, String currency) {
        if (micros.bitLength() < Long.SIZE) {
            return money(micros.longValue(), currency);
        }
        return Money.newBuilder()
                .setAmountMicros(micros.signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE)
                .setExactAmount(new BigDecimal(micros, 6).stripTrailingZeros().toPlainString())
                .setCurrency(currency)
                .build();
    }

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Timestamp timestamp(long epochMillis) {
        return timestamp(Instant.ofEpochMilli(epochMillis));
    }

    static long epochMillis(Timestamp timestamp) {
        return timestamp.getSeconds() * 1000 + timestamp.getNanos() / 1_000_000;
    }
}
