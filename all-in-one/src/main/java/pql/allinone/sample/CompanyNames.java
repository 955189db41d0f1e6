package pql.allinone.sample;

import java.util.List;
import java.util.Random;

/** Plausible company and person names for the sample (made up; any likeness is chance). */
final class CompanyNames {

    private static final List<String> FIRST = List.of(
            "Northwind", "Blue Harbor", "Granite", "Silver Birch", "Red Kite", "Ironwood", "Lakeside", "Summit",
            "Brightwater", "Copperfield", "Evergreen", "Falcon", "Harborview", "Juniper", "Keystone", "Lighthouse",
            "Maple", "Oakridge", "Pinecrest", "Quarry", "Riverbend", "Sandstone", "Tidewater", "Upland", "Vantage",
            "Westfield", "Yellowstone", "Zephyr", "Aurora", "Beacon", "Cedar", "Driftwood", "Ember", "Foxglove",
            "Glacier", "Hollow Oak", "Indigo", "Jetstream", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orchard",
            "Prairie", "Quill", "Rowan", "Sterling", "Thistle", "Umber", "Vireo", "Willow", "Alder", "Bramble");

    private static final List<String> SECOND = List.of(
            "Analytics", "Labs", "Logistics", "Health", "Foods", "Capital", "Robotics", "Studios", "Systems",
            "Energy", "Partners", "Retail", "Media", "Software", "Bio", "Networks", "Manufacturing", "Travel",
            "Insurance", "Learning", "Security", "Design", "Consulting", "Freight", "Clinics");

    private static final List<String> SUFFIX = List.of("", "", "", " Inc", " Ltd", " GmbH", " Co", " Group", " AB", " SAS");

    static final List<String> PEOPLE = List.of(
            "alex", "maria", "sam", "priya", "chen", "fatima", "lucas", "olivia", "noah", "amara", "ivan", "sofia",
            "kenji", "leila", "diego", "hana", "omar", "grace", "tomas", "zoe", "arjun", "emma", "yusuf", "mila");

    private CompanyNames() {
    }

    static String company(Random random) {
        return FIRST.get(random.nextInt(FIRST.size())) + " " + SECOND.get(random.nextInt(SECOND.size()))
                + SUFFIX.get(random.nextInt(SUFFIX.size()));
    }

    /** "northwind-analytics-0042" style ids: readable, unique by the number. */
    static String accountId(String company, int number) {
        String slug = company.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("(^-|-$)", "");
        return slug + "-" + String.format("%04d", number);
    }
}
