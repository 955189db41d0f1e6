package pql.gateway.audit;

import com.google.protobuf.Message;
import java.util.Map;
import java.util.function.UnaryOperator;
import pql.v1.DefinitionServiceGrpc;
import pql.v1.DefinitionVersion;
import pql.v1.DiscardRescoreRequest;
import pql.v1.ForecastLine;
import pql.v1.ForecastServiceGrpc;
import pql.v1.PromoteDefinitionRequest;
import pql.v1.PublishDefinitionRequest;
import pql.v1.PublishDefinitionResponse;
import pql.v1.RescoreStatus;
import pql.v1.ScoringDefinition;
import pql.v1.ScoringServiceGrpc;
import pql.v1.StartRescoreRequest;
import pql.v1.StreamAccountScoresRequest;
import pql.v1.StreamAccountScoresResponse;
import pql.v1.StreamForecastLinesRequest;

/**
 * The methods written to the audit log: every export of account data (forecast lines, the scores
 * stream; whether asked over gRPC or HTTP) and every change of what scores (publish, rescore start
 * and discard, promote). A method added to the API that exports or changes definitions belongs here.
 */
final class AuditedMethods {

    static final String EXPORT = "export";
    static final String DEFINITION_CHANGE = "definition_change";

    private static final Map<String, AuditedMethod> BY_NAME = Map.of(
            ForecastServiceGrpc.getStreamForecastLinesMethod().getFullMethodName(),
            new AuditedMethod(EXPORT, StreamForecastLinesRequest.getDefaultInstance(), ForecastLine.getDefaultInstance(),
                    AuditedMethod.EACH_MESSAGE_IS_A_ROW, UnaryOperator.identity()),
            ScoringServiceGrpc.getStreamAccountScoresMethod().getFullMethodName(),
            new AuditedMethod(EXPORT, StreamAccountScoresRequest.getDefaultInstance(),
                    StreamAccountScoresResponse.getDefaultInstance(), StreamAccountScoresResponse.SCORES_FIELD_NUMBER,
                    UnaryOperator.identity()),
            DefinitionServiceGrpc.getPublishDefinitionMethod().getFullMethodName(),
            new AuditedMethod(DEFINITION_CHANGE, PublishDefinitionRequest.getDefaultInstance(),
                    PublishDefinitionResponse.getDefaultInstance(), AuditedMethod.NO_ROWS, AuditedMethods::definitionNameOnly),
            DefinitionServiceGrpc.getStartRescoreMethod().getFullMethodName(),
            change(StartRescoreRequest.getDefaultInstance(), RescoreStatus.getDefaultInstance()),
            DefinitionServiceGrpc.getDiscardRescoreMethod().getFullMethodName(),
            change(DiscardRescoreRequest.getDefaultInstance(), RescoreStatus.getDefaultInstance()),
            DefinitionServiceGrpc.getPromoteDefinitionMethod().getFullMethodName(),
            change(PromoteDefinitionRequest.getDefaultInstance(), DefinitionVersion.getDefaultInstance()));

    private AuditedMethods() {
    }

    /** Null for a method that is not audited. */
    static AuditedMethod of(String fullMethodName) {
        return BY_NAME.get(fullMethodName);
    }

    private static AuditedMethod change(Message request, Message response) {
        return new AuditedMethod(DEFINITION_CHANGE, request, response, AuditedMethod.NO_ROWS, UnaryOperator.identity());
    }

    /** A published definition is logged by its name: the body is in the definition log itself. */
    private static Message definitionNameOnly(Message request) {
        PublishDefinitionRequest publish = (PublishDefinitionRequest) request;
        return publish.toBuilder()
                .setDefinition(ScoringDefinition.newBuilder().setName(publish.getDefinition().getName()))
                .build();
    }
}
