package pql.scoring.grpc;

import pql.scoring.app.DefinitionBacktests;
import pql.scoring.domain.backtest.BacktestFigure;
import pql.scoring.domain.backtest.BacktestReport;
import pql.v1.BacktestDefinitionResponse;
import pql.v1.BacktestFigureState;
import pql.v1.PersonaBacktest;

/** A domain backtest as its protobuf answer: figures keep their sample size, and a value only when measured. */
final class BacktestProtos {

    private static final double MILLIS_PER_SECOND = 1000.0;

    private BacktestProtos() {
    }

    static BacktestDefinitionResponse toProto(DefinitionBacktests.Backtest backtest) {
        BacktestReport report = backtest.report();
        BacktestFigure leadTime = report.medianLeadTimeMillis();
        BacktestDefinitionResponse.Builder response = BacktestDefinitionResponse.newBuilder()
                .setVersion(backtest.version())
                .setFrom(ScoreProtos.timestamp(report.from()))
                .setTo(ScoreProtos.timestamp(report.to()))
                .setTrialsClosed(report.trialsClosed())
                .setTrialsConverted(report.trialsConverted())
                .setPqls(report.pqls())
                .setBaseConversionRate(figure(report.baseConversionRate()))
                .setPrecision(figure(report.precision()))
                .setRecall(figure(report.recall()))
                .setF1(figure(report.f1()))
                .setLift(figure(report.lift()))
                .setMedianLeadTimeSeconds(figure(new BacktestFigure(leadTime.measured(),
                        leadTime.value() / MILLIS_PER_SECOND, leadTime.sampleSize())))
                .setBrierScore(figure(report.brierScore()))
                .setMinimumSample(report.minimumSample())
                .setConfidence(report.confidence())
                .setHeadPosition(backtest.headPosition())
                .setMethod(report.method());
        for (BacktestReport.PersonaResult persona : report.personas()) {
            PersonaBacktest.Builder row = PersonaBacktest.newBuilder()
                    .setPersona(Enums.toProto(persona.persona()))
                    .setOdds(persona.odds())
                    .setTrialsClosed(persona.trialsClosed())
                    .setTrialsConverted(persona.trialsConverted())
                    .setObservedRate(figure(persona.observedRate()))
                    .setBrierScore(figure(persona.brierScore()))
                    .setOddsOutsideInterval(persona.oddsOutsideInterval());
            if (persona.interval() != null) {
                row.setIntervalLow(persona.interval().low()).setIntervalHigh(persona.interval().high());
            }
            response.addPersonas(row);
        }
        return response.build();
    }

    private static pql.v1.BacktestFigure figure(BacktestFigure figure) {
        pql.v1.BacktestFigure.Builder builder = pql.v1.BacktestFigure.newBuilder().setSampleSize(figure.sampleSize())
                .setState(figure.measured() ? BacktestFigureState.BACKTEST_FIGURE_STATE_MEASURED
                        : BacktestFigureState.BACKTEST_FIGURE_STATE_NOT_ENOUGH_DATA);
        if (figure.measured()) {
            builder.setValue(figure.value());
        }
        return builder.build();
    }
}
