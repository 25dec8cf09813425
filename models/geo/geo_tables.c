/*
 * geo_tables.c - the places geo.h knows and where they are (docs/geo.md).
 *
 * Azure regions: the latitude and longitude Azure itself publishes for the
 * region (`az account list-locations`, metadata.latitude/longitude); the
 * metro is the region's physical location as Azure names it.
 * OCI regions and peering locations: the well-known coordinates of the
 * city centre of the metro the cloud names (OCI's "US East (Ashburn)" is
 * Ashburn, Virginia; Microsoft's "Washington DC" peering location is
 * Washington, D.C., though the building is in Ashburn: the name is what a
 * user writes, and the ~45 km is within what the route factor guesses).
 * The peering locations are those of the interconnect's paired metros
 * (facts 3.2, geo_pairs below) and Seattle, the origin of Microsoft's
 * latency table (B9).
 *
 * The pairs: Microsoft's interconnect page (3.2: East US / Washington DC
 * <-> Ashburn, UK South / London <-> London, Canada Central / Toronto <->
 * Toronto, West Europe / Amsterdam <-> Amsterdam, Japan East / Tokyo <->
 * Tokyo, West US / Silicon Valley <-> San Jose), the field note of B2
 * (Campinas <-> sa-vinhedo-1) and the paired metros of Oracle's page as a
 * third-party catalogue lists them (3.2: Singapore, Seoul, Frankfurt,
 * Johannesburg, Phoenix), whose Azure regions the facts do not name. The
 * peering location names are Microsoft's; "Ashburn" and "San Jose" are
 * accepted as the metro's other names.
 */
#include "geo.h"

#define AZ(n, d, m, la, lo) { n, d, GEO_AZURE_REGION, m, la, lo }
#define OCI(n, d, m, la, lo) { n, d, GEO_OCI_REGION, m, la, lo }
#define PL(n, m, la, lo) { n, NULL, GEO_PEERING, m, la, lo }

const struct geo_place geo_places[] = {
	/* Azure (az account list-locations) */
	AZ("eastus", "East US", "Virginia", 37.3719, -79.8164),
	AZ("eastus2", "East US 2", "Virginia", 36.6681, -78.3889),
	AZ("westus", "West US", "California", 37.783, -122.417),
	AZ("westus2", "West US 2", "Washington", 47.233, -119.852),
	AZ("centralus", "Central US", "Iowa", 41.5908, -93.6208),
	AZ("northcentralus", "North Central US", "Illinois", 41.8819,
	    -87.6278),
	AZ("southcentralus", "South Central US", "Texas", 29.4167, -98.5),
	AZ("westcentralus", "West Central US", "Wyoming", 40.890, -110.234),
	AZ("canadacentral", "Canada Central", "Toronto", 43.653, -79.383),
	AZ("canadaeast", "Canada East", "Quebec", 46.817, -71.217),
	AZ("brazilsouth", "Brazil South", "Sao Paulo State", -23.55, -46.633),
	AZ("uksouth", "UK South", "London", 50.941, -0.799),
	AZ("ukwest", "UK West", "Cardiff", 53.427, -3.084),
	AZ("northeurope", "North Europe", "Ireland", 53.3478, -6.2597),
	AZ("westeurope", "West Europe", "Netherlands", 52.3667, 4.9),
	AZ("francecentral", "France Central", "Paris", 46.3772, 2.3730),
	AZ("germanywestcentral", "Germany West Central", "Frankfurt",
	    50.110924, 8.682127),
	AZ("switzerlandnorth", "Switzerland North", "Zurich", 47.451542,
	    8.564572),
	AZ("norwayeast", "Norway East", "Norway", 59.913868, 10.752245),
	AZ("southafricanorth", "South Africa North", "Johannesburg",
	    -25.731340, 28.218370),
	AZ("uaenorth", "UAE North", "Dubai", 25.266666, 55.316666),
	AZ("centralindia", "Central India", "Pune", 18.5822, 73.9197),
	AZ("southeastasia", "Southeast Asia", "Singapore", 1.283, 103.833),
	AZ("eastasia", "East Asia", "Hong Kong", 22.267, 114.188),
	AZ("japaneast", "Japan East", "Tokyo, Saitama", 35.68, 139.77),
	AZ("japanwest", "Japan West", "Osaka", 34.6939, 135.5022),
	AZ("koreacentral", "Korea Central", "Seoul", 37.5665, 126.9780),
	AZ("australiaeast", "Australia East", "New South Wales", -33.86,
	    151.2094),

	/* OCI (the metro in the region's name; city-centre coordinates) */
	OCI("us-ashburn-1", "US East (Ashburn)", "Ashburn", 39.0438,
	    -77.4874),
	OCI("us-phoenix-1", "US West (Phoenix)", "Phoenix", 33.4484,
	    -112.0740),
	OCI("us-sanjose-1", "US West (San Jose)", "San Jose", 37.3382,
	    -121.8863),
	OCI("ca-toronto-1", "Canada Southeast (Toronto)", "Toronto", 43.6532,
	    -79.3832),
	OCI("sa-vinhedo-1", "Brazil Southeast (Vinhedo)", "Vinhedo",
	    -23.0302, -46.9750),
	OCI("uk-london-1", "UK South (London)", "London", 51.5074, -0.1278),
	OCI("eu-amsterdam-1", "Netherlands Northwest (Amsterdam)",
	    "Amsterdam", 52.3676, 4.9041),
	OCI("eu-frankfurt-1", "Germany Central (Frankfurt)", "Frankfurt",
	    50.1109, 8.6821),
	OCI("af-johannesburg-1", "South Africa Central (Johannesburg)",
	    "Johannesburg", -26.2041, 28.0473),
	OCI("ap-singapore-1", "Singapore (Singapore)", "Singapore", 1.3521,
	    103.8198),
	OCI("ap-tokyo-1", "Japan East (Tokyo)", "Tokyo", 35.6762, 139.6503),
	OCI("ap-seoul-1", "South Korea Central (Seoul)", "Seoul", 37.5665,
	    126.9780),

	/* ExpressRoute / FastConnect peering locations (Microsoft's names) */
	PL("Washington DC", "Washington, D.C.", 38.9072, -77.0369),
	PL("Silicon Valley", "San Jose", 37.3382, -121.8863),
	PL("Phoenix", "Phoenix", 33.4484, -112.0740),
	PL("Seattle", "Seattle", 47.6062, -122.3321),
	PL("Toronto", "Toronto", 43.6532, -79.3832),
	PL("Campinas", "Campinas", -22.9056, -47.0608),
	PL("London", "London", 51.5074, -0.1278),
	PL("Amsterdam", "Amsterdam", 52.3676, 4.9041),
	PL("Frankfurt", "Frankfurt", 50.1109, 8.6821),
	PL("Johannesburg", "Johannesburg", -26.2041, 28.0473),
	PL("Singapore", "Singapore", 1.3521, 103.8198),
	PL("Tokyo", "Tokyo", 35.6762, 139.6503),
	PL("Seoul", "Seoul", 37.5665, 126.9780),
};
const size_t geo_n_places = sizeof(geo_places) / sizeof(geo_places[0]);

const struct geo_pair geo_pairs[] = {
	{ { "Washington DC", "Ashburn" }, "us-ashburn-1", "eastus", "Ashburn" },
	{ { "London", NULL }, "uk-london-1", "uksouth", "London" },
	{ { "Toronto", NULL }, "ca-toronto-1", "canadacentral", "Toronto" },
	{ { "Amsterdam", NULL }, "eu-amsterdam-1", "westeurope", "Amsterdam" },
	{ { "Tokyo", NULL }, "ap-tokyo-1", "japaneast", "Tokyo" },
	{ { "Silicon Valley", "San Jose" }, "us-sanjose-1", "westus",
	    "San Jose" },
	{ { "Campinas", NULL }, "sa-vinhedo-1", NULL, "Vinhedo" },
	{ { "Singapore", NULL }, "ap-singapore-1", NULL, "Singapore" },
	{ { "Seoul", NULL }, "ap-seoul-1", NULL, "Seoul" },
	{ { "Frankfurt", NULL }, "eu-frankfurt-1", NULL, "Frankfurt" },
	{ { "Johannesburg", NULL }, "af-johannesburg-1", NULL,
	    "Johannesburg" },
	{ { "Phoenix", NULL }, "us-phoenix-1", NULL, "Phoenix" },
};
const size_t geo_n_pairs = sizeof(geo_pairs) / sizeof(geo_pairs[0]);
