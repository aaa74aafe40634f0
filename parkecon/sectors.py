"""One grouping of sectors and clusters into broad groups (ours), for every chapter.

The documents name sectors in their own words (a park's lead industries, a district's plan,
the city's "3+3" and "355N" lists). To set them side by side, each sector or cluster entity
belongs to one broad group. A sector whose entity descends from one of the six "3+3"
clusters takes that cluster's group; the rest are listed here. Umbrella entities (the
layouts themselves) are "Other or unspecified" and left out of charts. A test checks that
every sector the data names has a group, so a new sector forces a decision.
"""
from __future__ import annotations

import pandas as pd

from .i18n import N_

OTHER = N_("Other or unspecified")

#: The broad groups, in the order of every chart and table (OTHER is not among them).
GROUPS = [
    N_("Materials and metals"),
    N_("Equipment and autos"),
    N_("Light industry and textiles"),
    N_("Electronics"),
    N_("Biomedicine and health"),
    N_("Data, software, e-commerce"),
    N_("Energy"),
    N_("Mining, recycling, environment"),
    N_("Building materials, construction"),
    N_("Agriculture and food"),
    N_("Logistics and business services"),
    N_("Tourism and culture"),
    N_("High-tech, unspecified"),
]

#: The "3+3" clusters: a sector that descends from one takes its group.
CLUSTER_GROUP = {
    "sg_adv_materials": "Materials and metals",
    "sg_adv_equipment": "Equipment and autos",
    "sg_light_industry": "Light industry and textiles",
    "sg_electronics": "Electronics",
    "sg_biomed": "Biomedicine and health",
    "sg_bigdata": "Data, software, e-commerce",
}

#: Every other sector or cluster entity the documents name, by group.
MEMBERS = {
    "Materials and metals": [
        "sector_steel_new_materials", "sector_nonferrous_functional_materials", "sector_zinc_smelting",
        "sector_nonferrous_metals", "sector_steel", "sector_rare_earth", "sector_nonferrous",
        "sector_new_materials", "sector_chemicals", "qy_copper_aluminium", "qc_adv_materials",
        "sg_modern_steel",
    ],
    "Equipment and autos": [
        "sector_intelligent_equipment", "sector_machinery", "sector_smart_agri_forestry_equipment",
        "sector_auto_parts", "qc_auto_parts", "qc_adv_manufacturing", "sg_355n_equipment",
        "sg_disaster_prevention", "sg_river_shipping",
    ],
    "Light industry and textiles": [
        "qc_textile_garment", "sector_tobacco", "sector_toys",
    ],
    "Electronics": [
        "sector_electronic_components", "sg_electronics_bigdata", "sector_electronic_components_materials",
        "sector_electronic_terminals", "sector_new_electronic_materials", "sector_pcb",
        "sector_highend_components", "sector_smart_terminals", "sector_sputtering_targets",
        "sector_ic_display", "sector_3c_terminals", "sector_auto_electronics", "sector_cloud_iot_devices",
    ],
    "Biomedicine and health": [
        "qc_biomed_health", "sg_355n_biomed_health", "sector_modern_tcm", "sector_biopharmaceuticals",
        "sector_patented_new_drugs", "sector_chemical_apis", "sector_medical_devices",
        "sector_health_services", "sector_bio_cosmetics_health_food", "sector_blood_products", "sector_api",
    ],
    "Data, software, e-commerce": [
        "qc_big_data", "qc_live_ecommerce", "sector_ecommerce", "sector_data_centres",
        "sector_software_outsourcing", "sector_bigdata_applications", "sector_software_info_services",
    ],
    "Energy": [
        "sector_hydrogen", "sector_new_energy", "sector_pv", "sector_wind", "sector_hydropower",
        "sector_biomass_power", "sector_power", "sector_photovoltaic", "qc_new_energy", "sg_lowcarbon_energy",
    ],
    "Mining, recycling, environment": [
        "sg_green_mining", "sector_green_mining", "sector_metal_recycling", "sector_resource_recycling",
        "sector_energy_env_protection",
    ],
    "Building materials, construction": [
        "sector_new_building_materials", "sector_building_materials", "sector_construction",
        "sector_prefab_construction",
    ],
    "Agriculture and food": [
        "sector_orchid", "sector_agri_processing", "qc_qingyuan_chicken", "qc_prepared_food",
        "qc_meat_processing", "qc_simiao_rice", "qc_agrifood", "cluster_nanyue_yellow_chicken",
        "sg_modern_food", "sg_modern_agriculture", "sg_forestry_economy",
    ],
    "Logistics and business services": [
        "sector_tech_rnd", "sector_modern_services", "sector_tech_services", "sector_producer_services",
        "sector_cold_chain_logistics", "qc_modern_logistics", "qc_modern_services", "sg_modern_logistics",
    ],
    "Tourism and culture": [
        "sector_tourism", "sector_cultural_tourism", "qc_culture_tourism", "sector_eco_wellness",
        "sg_culture_tourism",
    ],
    "High-tech, unspecified": [
        "sector_high_tech",
    ],
    OTHER: [
        "sg_3plus3", "sg_355n", "sg_355n_n",
    ],
}
_GROUP_OF = {s: g for g, ms in MEMBERS.items() for s in ms}


def group(sector_id: str, entities: pd.DataFrame | dict | None = None) -> str:
    """The broad group of a sector or cluster entity; KeyError if it has none.

    ``entities`` (entities.csv or an {entity_id: parent_id} dict) lets a sector inherit the
    group of the "3+3" cluster it descends from.
    """
    if entities is None:
        parents = {}
    else:
        parents = entities if isinstance(entities, dict) else dict(zip(entities["entity_id"], entities["parent_id"]))
    node, seen = sector_id, set()
    while isinstance(node, str) and node not in seen:
        if node in CLUSTER_GROUP:
            return CLUSTER_GROUP[node]
        if node in _GROUP_OF:
            return _GROUP_OF[node]
        seen.add(node)
        node = parents.get(node)
    raise KeyError(f"sector {sector_id!r} has no group: add it to parkecon.sectors.MEMBERS")
