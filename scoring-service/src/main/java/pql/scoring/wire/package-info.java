/**
 * Scoring's data in its protobuf forms, to and from the domain: stored event envelopes into
 * {@code domain.event.AccountEvent}s ({@link pql.scoring.wire.EnvelopeDecoder}, and
 * {@link pql.scoring.wire.ProductActionReader} for the bulk of the log), scoring definitions between
 * {@code pql.v1.ScoringDefinition} and {@code domain.definition} ({@link pql.scoring.wire.DefinitionProtos}).
 * (YAML/JSON text of a definition is the CLI's business: it sends the message.)
 *
 * <p>Here rather than in {@code grpc/} because the event log stores the same wire forms: the
 * projections ({@code app/}) decode envelopes and the definition log ({@code store/}) reads and
 * writes definitions with these classes too.
 */
package pql.scoring.wire;
