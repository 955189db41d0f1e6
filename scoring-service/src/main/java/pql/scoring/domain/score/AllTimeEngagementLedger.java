package pql.scoring.domain.score;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import pql.scoring.domain.definition.ActionDictionary;

/** No window: running totals per action and per user, nothing expires. */
final class AllTimeEngagementLedger implements EngagementLedger {

    private int[] actionIds = new int[4];
    private double[] quantities = new double[4];
    private double[] points = new double[4];
    private int size;
    private double total;
    private double[] userPoints = new double[2];

    @Override
    public void add(long time, int actionId, int user, double quantity, double anchoredPoints, long newest) {
        int slot = slotOf(actionId);
        quantities[slot] += quantity;
        points[slot] += anchoredPoints;
        total += anchoredPoints;
        if (user >= userPoints.length) {
            userPoints = Arrays.copyOf(userPoints, Math.max(user + 1, userPoints.length * 2));
        }
        userPoints[user] += anchoredPoints;
    }

    private int slotOf(int actionId) {
        for (int i = 0; i < size; i++) {
            if (actionIds[i] == actionId) {
                return i;
            }
        }
        if (size == actionIds.length) {
            int capacity = size * 2;
            actionIds = Arrays.copyOf(actionIds, capacity);
            quantities = Arrays.copyOf(quantities, capacity);
            points = Arrays.copyOf(points, capacity);
        }
        actionIds[size] = actionId;
        return size++;
    }

    @Override
    public void advance(long newest) {
        // nothing leaves an all-time total
    }

    @Override
    public long nextExpiryAfter(long t) {
        return Long.MAX_VALUE;
    }

    @Override
    public double anchoredScore(long asOf, long newest) {
        return total;
    }

    @Override
    public List<ActionTotal> actionTotals(long asOf, long newest) {
        List<ActionTotal> totals = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            totals.add(new ActionTotal(actionIds[i], quantities[i], points[i]));
        }
        return totals;
    }

    @Override
    public double[] userAnchoredScores(long asOf, long newest, int users) {
        return Arrays.copyOf(userPoints, users);
    }

    @Override
    public void rebase(int k) {
        for (int i = 0; i < size; i++) {
            points[i] = Math.scalb(points[i], -k);
        }
        for (int i = 0; i < userPoints.length; i++) {
            userPoints[i] = Math.scalb(userPoints[i], -k);
        }
        total = Math.scalb(total, -k);
    }

    @Override
    public int entryCount() {
        return size;
    }

    @Override
    public void writeTo(DataOutput out, ActionDictionary actions) throws IOException {
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeUTF(actions.nameOf(actionIds[i]));
            out.writeDouble(quantities[i]);
            out.writeDouble(points[i]);
        }
        out.writeDouble(total);
        out.writeInt(userPoints.length);
        for (double value : userPoints) {
            out.writeDouble(value);
        }
    }

    static AllTimeEngagementLedger read(DataInput in, ActionDictionary actions) throws IOException {
        AllTimeEngagementLedger ledger = new AllTimeEngagementLedger();
        int size = in.readInt();
        int capacity = Math.max(4, size);
        ledger.actionIds = new int[capacity];
        ledger.quantities = new double[capacity];
        ledger.points = new double[capacity];
        for (int i = 0; i < size; i++) {
            ledger.actionIds[i] = actions.idOf(in.readUTF());
            ledger.quantities[i] = in.readDouble();
            ledger.points[i] = in.readDouble();
        }
        ledger.size = size;
        ledger.total = in.readDouble();
        int users = in.readInt();
        ledger.userPoints = new double[Math.max(2, users)];
        for (int i = 0; i < users; i++) {
            ledger.userPoints[i] = in.readDouble();
        }
        return ledger;
    }
}
