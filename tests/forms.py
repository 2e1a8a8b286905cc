"""Valid form data for the provider form, to post and then break one field at a time."""

from tests.conftest import csrf_token


def provider_form(**overrides) -> dict:
    data = {
        "name": "Les Claviers Solidaires",
        "kind": "association",
        "pitch_fr": "Hébergement Nextcloud et formation pour les associations du Finistère.",
        "pitch_en": "Nextcloud hosting and training for associations in Finistère.",
        "description_fr": "Nous hébergeons des services libres à Brest.",
        "description_en": "We host free-software services in Brest.",
        "website": "https://claviers.example.org",
        "public_email": "bonjour@claviers.example.org",
        "public_phone": "02 61 91 12 34",
        "city": "Brest",
        "postcode": "29200",
        "services": ["hosting", "training"],
        "regions": ["53"],
        "work_mode": "both",
        "price_models": ["sliding_scale"],
        "audiences": ["small_associations"],
        "software": "Nextcloud, PeerTube",
        "languages": ["fr", "br"],
        "remote": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def application_form(client, **overrides) -> dict:
    data = provider_form(
        contact_email="secret.person@private.example.net",
        charter="y",
        csrf_token=csrf_token(client, "/apply"),
    )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
