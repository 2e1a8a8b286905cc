"""schema.org JSON-LD for provider pages, so that search engines understand the entries."""

from flask import url_for

from directory.models import Provider


def provider_json_ld(provider: Provider, locale: str) -> dict:
    description = provider.localized("description", locale)
    pitch = provider.localized("pitch", locale)
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "@id": url_for("providers.show", slug=provider.slug, _external=True),
        "name": provider.name,
        "description": pitch.text or description.text,
        "url": provider.website_url
        or url_for("providers.show", slug=provider.slug, _external=True),
        "areaServed": [region.label(locale) for region in provider.regions]
        + [departement.name for departement in provider.departements]
        + (["France"] if provider.serves_nationwide else []),
        "knowsAbout": [service.label(locale) for service in provider.services]
        + [tag.name for tag in provider.software],
        "knowsLanguage": [language.code for language in provider.languages],
        "dateModified": provider.updated_at.date().isoformat(),
    }
    if provider.public_email and provider.show_public_email:
        data["email"] = provider.public_email
    if provider.public_phone:
        data["telephone"] = provider.public_phone
    if provider.city or provider.postcode:
        data["address"] = {
            "@type": "PostalAddress",
            "addressLocality": provider.city or "",
            "postalCode": provider.postcode or "",
            "addressCountry": "FR",
        }
    return data
