package pql.allinone;

/**
 * Runs the all-in-one: {@code java -cp ... pql.allinone.Main server all-in-one/config.yml}
 * (what {@code ./pql start} does).
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        new AllInOneApp(new SuiteModules(), System.out).run(args);
    }
}
