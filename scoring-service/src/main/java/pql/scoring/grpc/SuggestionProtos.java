package pql.scoring.grpc;

import com.google.protobuf.Timestamp;
import pql.scoring.app.DefinitionSuggestions;
import pql.scoring.domain.discovery.DefinitionDraft;
import pql.scoring.domain.discovery.DiscoveryReport;
import pql.scoring.domain.discovery.RuleFinding;
import pql.scoring.wire.DefinitionProtos;
import pql.v1.DraftNote;
import pql.v1.RuleVerdict;
import pql.v1.SuggestDefinitionResponse;

/** A definition suggestion (findings and draft) as the SuggestDefinition response. */
final class SuggestionProtos {

    private SuggestionProtos() {
    }

    static SuggestDefinitionResponse toProto(DefinitionSuggestions.Suggestion suggestion, Timestamp from, Timestamp to) {
        DiscoveryReport report = suggestion.report();
        SuggestDefinitionResponse.Builder response = SuggestDefinitionResponse.newBuilder()
                .setFrom(from).setTo(to)
                .setFalseDiscoveryRate(report.falseDiscoveryRate())
                .setTrialsClosed(report.trials())
                .setTrialsConverted(report.converted())
                .addAllWeightZeroActions(report.weightZeroActions())
                .setDraft(DefinitionProtos.toProto(suggestion.draft().definition()))
                .setBasedOnVersion(suggestion.basedOnVersion());
        report.predictors().forEach(finding -> response.addPredictors(toProto(finding)));
        report.checklistCandidates().forEach(finding -> response.addChecklistCandidates(toProto(finding)));
        report.triggerCandidates().forEach(finding -> response.addTriggerCandidates(toProto(finding)));
        report.rules().forEach(finding -> response.addRules(toProto(finding)));
        for (DefinitionDraft.Note note : suggestion.draft().notes()) {
            response.addNotes(DraftNote.newBuilder().setList(note.list()).setIndex(note.index()).setNote(note.text()));
        }
        return response.build();
    }

    private static pql.v1.RuleFinding toProto(RuleFinding finding) {
        return pql.v1.RuleFinding.newBuilder()
                .setAction(finding.rule().action())
                .setMinCount(finding.rule().minCount())
                .setWithinDays(finding.rule().withinDays())
                .setTrialsMet(finding.trialsMet())
                .setConvertedMet(finding.convertedMet())
                .setTrialsNotMet(finding.trialsNotMet())
                .setConvertedNotMet(finding.convertedNotMet())
                .setRateMet(finding.rateMet())
                .setRateMetLow(finding.rateMetInterval().low())
                .setRateMetHigh(finding.rateMetInterval().high())
                .setRateNotMet(finding.rateNotMet())
                .setLift(finding.lift())
                .setPValue(finding.pValue())
                .setQValue(finding.qValue())
                .setVerdict(switch (finding.verdict()) {
                    case PREDICTIVE -> RuleVerdict.RULE_VERDICT_PREDICTIVE;
                    case NEGATIVE -> RuleVerdict.RULE_VERDICT_NEGATIVE;
                    case WEAK -> RuleVerdict.RULE_VERDICT_WEAK;
                    case NOT_SIGNIFICANT -> RuleVerdict.RULE_VERDICT_NOT_SIGNIFICANT;
                    case NOT_ENOUGH_DATA -> RuleVerdict.RULE_VERDICT_NOT_ENOUGH_DATA;
                })
                .build();
    }
}
