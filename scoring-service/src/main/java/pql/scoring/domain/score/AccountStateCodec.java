package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import pql.scoring.domain.CommunicationLevel;
import pql.scoring.domain.Fit;
import pql.scoring.domain.Level;
import pql.scoring.domain.OpportunitySize;
import pql.scoring.domain.OutcomeKind;
import pql.scoring.domain.Plan;
import pql.scoring.domain.definition.CompiledDefinition;

/**
 * The binary snapshot form of an {@link AccountState}, as segment snapshots and checkpoints persist
 * it: a format byte, then every field of the state in a fixed order ({@link java.io.DataOutput}
 * encoding; absent strings, enums and deal sizes flagged). Action ids are written as names, since ids
 * are local to a process; user, window and ledger contents are written by their own classes.
 *
 * <p>Decoding checks the shape against the definition (step and trigger counts) and restores a state
 * that scores and evolves exactly like the one written. The cached growth factor is not written: it
 * is recomputed from the anchor on first use.
 */
final class AccountStateCodec {

    /** 2 added the status instant (time-driven changes); 1 is read as a status of the newest event. */
    private static final int SNAPSHOT_FORMAT = 2;

    private AccountStateCodec() {
    }

    /** Writes the whole state; the caller holds the state's lock. */
    static void write(AccountState state, DataOutput out) throws IOException {
        out.writeByte(SNAPSHOT_FORMAT);
        out.writeUTF(state.accountId());
        out.writeInt(state.streamHash());
        writeString(out, state.name);
        out.writeBoolean(state.dealSizeMicros != null);
        if (state.dealSizeMicros != null) {
            out.writeLong(state.dealSizeMicros);
        }
        writeString(out, state.currency);
        writeEnum(out, state.explicitSize);
        writeString(out, state.owner);
        writeEnum(out, state.plan);
        out.writeLong(state.trialStart);
        out.writeLong(state.trialEnd);
        writeEnum(out, state.fit);
        out.writeLong(state.firstSeen);
        out.writeLong(state.newest);
        out.writeLong(state.eventsApplied);
        out.writeLong(state.logPosition);
        state.users.writeTo(out);
        out.writeInt(state.stepCounts.length);
        for (int i = 0; i < state.stepCounts.length; i++) {
            out.writeDouble(state.stepCounts[i]);
            out.writeLong(state.stepDoneAt[i]);
            out.writeInt(state.stepDoneBy[i]);
        }
        out.writeInt(state.stepsDone);
        state.ledger.writeTo(out, state.definition().actions());
        out.writeLong(state.anchor);
        out.writeInt(state.triggerTotals.length);
        for (int i = 0; i < state.triggerTotals.length; i++) {
            out.writeDouble(state.triggerTotals[i]);
            out.writeBoolean(state.triggerWindows[i] != null);
            if (state.triggerWindows[i] != null) {
                state.triggerWindows[i].writeTo(out);
            }
        }
        state.communication.writeTo(out);
        out.writeLong(state.handRaisedAt);
        writeString(out, state.handRaisedBy);
        out.writeLong(state.limitReachedAt);
        writeString(out, state.limitName);
        out.writeDouble(state.limitUsage);
        out.writeDouble(state.limitValue);
        out.writeInt(state.limitsReached);
        out.writeLong(state.convertedAt);
        out.writeBoolean(state.convertedWithSalesTouch);
        out.writeLong(state.lostAt);
        out.writeLong(state.churnedAt);
        writeEnum(out, state.outcome);
        out.writeLong(state.outcomeAt);
        out.writeLong(state.outcomeAmountMicros);
        writeString(out, state.outcomeCurrency);
        out.writeBoolean(state.outcomeSalesTouched);
        writeEnum(out, state.outcomeActivationLevel);
        writeEnum(out, state.outcomeEngagementLevel);
        writeEnum(out, state.outcomeCommunicationLevel);
        out.writeLong(state.qualifiedAt);
        out.writeInt(state.kindsMask);
        writeEnum(out, state.activationLevel);
        writeEnum(out, state.engagementLevel);
        writeEnum(out, state.communicationLevel);
        out.writeDouble(state.engagementScore);
        out.writeLong(state.statusAt);
    }

    /**
     * Reads a state written by {@link #write} for {@code definition}: the format and the number of steps and
     * triggers must match, action names are resolved to this definition's ids.
     */
    static AccountState read(DataInput in, CompiledDefinition definition) throws IOException {
        int format = in.readByte();
        if (format != SNAPSHOT_FORMAT && format != 1) {
            throw new IOException("unsupported account snapshot format " + format);
        }
        AccountState state = new AccountState(definition, in.readUTF(), in.readInt());
        state.name = readString(in);
        if (in.readBoolean()) {
            state.dealSizeMicros = in.readLong();
        }
        state.currency = readString(in);
        state.explicitSize = readEnum(in, OpportunitySize.values());
        state.owner = readString(in);
        state.plan = readEnum(in, Plan.values());
        state.trialStart = in.readLong();
        state.trialEnd = in.readLong();
        state.fit = readEnum(in, Fit.values());
        state.firstSeen = in.readLong();
        state.newest = in.readLong();
        state.eventsApplied = in.readLong();
        state.logPosition = in.readLong();
        state.users = UserTable.read(in, definition.stepCount());
        int steps = in.readInt();
        if (steps != definition.stepCount()) {
            throw new IOException("snapshot has " + steps + " steps, the definition " + definition.stepCount());
        }
        for (int i = 0; i < steps; i++) {
            state.stepCounts[i] = in.readDouble();
            state.stepDoneAt[i] = in.readLong();
            state.stepDoneBy[i] = in.readInt();
        }
        state.stepsDone = in.readInt();
        state.ledger = EngagementLedger.readFrom(in, definition.engagementWindowMillis(), definition.actions());
        state.anchor = in.readLong();
        int triggers = in.readInt();
        if (triggers != definition.triggerCount()) {
            throw new IOException("snapshot has " + triggers + " triggers, the definition " + definition.triggerCount());
        }
        for (int i = 0; i < triggers; i++) {
            state.triggerTotals[i] = in.readDouble();
            if (in.readBoolean()) {
                state.triggerWindows[i] = WindowedCounter.read(in, definition.triggerWindowMillis(i));
            }
        }
        state.communication = CommunicationWindow.read(in, definition.communicationWindowMillis());
        state.handRaisedAt = in.readLong();
        state.handRaisedBy = readString(in);
        state.limitReachedAt = in.readLong();
        state.limitName = readString(in);
        state.limitUsage = in.readDouble();
        state.limitValue = in.readDouble();
        state.limitsReached = in.readInt();
        state.convertedAt = in.readLong();
        state.convertedWithSalesTouch = in.readBoolean();
        state.lostAt = in.readLong();
        state.churnedAt = in.readLong();
        state.outcome = readEnum(in, OutcomeKind.values());
        state.outcomeAt = in.readLong();
        state.outcomeAmountMicros = in.readLong();
        state.outcomeCurrency = readString(in);
        state.outcomeSalesTouched = in.readBoolean();
        state.outcomeActivationLevel = readEnum(in, Level.values());
        state.outcomeEngagementLevel = readEnum(in, Level.values());
        state.outcomeCommunicationLevel = readEnum(in, CommunicationLevel.values());
        state.qualifiedAt = in.readLong();
        state.kindsMask = in.readInt();
        // derived, not written: qualification and outcome are read above, as they were when it was set
        state.pql = state.isPql(state.kindsMask);
        state.activationLevel = readEnum(in, Level.values());
        state.engagementLevel = readEnum(in, Level.values());
        state.communicationLevel = readEnum(in, CommunicationLevel.values());
        state.engagementScore = in.readDouble();
        if (format >= 2) {
            state.statusAt = in.readLong();
        }
        return state;
    }

    private static void writeString(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readString(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeEnum(DataOutput out, Enum<?> value) throws IOException {
        out.writeByte(value == null ? -1 : value.ordinal());
    }

    private static <E extends Enum<E>> E readEnum(DataInput in, E[] values) throws IOException {
        int ordinal = in.readByte();
        return ordinal < 0 ? null : values[ordinal];
    }
}
