package pql.gateway.allinone;

/**
 * Runs the all-in-one: {@code java -cp ... pql.gateway.allinone.Main server gateway/all-in-one.yml}
 * (what {@code ./pql start} does).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        new AllInOneApp(new SuiteModules(), System.out).run(args);
    }
}
