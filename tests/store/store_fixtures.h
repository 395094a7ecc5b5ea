#pragma once
// What the store tests share: a case to hang rows on.
#include "model/dates.h"
#include "store/case_repository.h"

namespace consilium::testing {

// "Test Patient", received 2026-11-23, registered by `actor`.
inline model::Case createTestCase(store::Database& db, const store::Actor& actor)
{
    model::CaseIntake in;
    in.patient.name = "Test Patient";
    in.question = "Q?";
    in.receivedOn = model::parseIsoDate("2026-11-23");
    return store::CaseRepository(db).create(in, actor);
}

}  // namespace consilium::testing
