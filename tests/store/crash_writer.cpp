// A helper for crash_safety_test.cpp: into a case of its own, writes COUNT times an audited treatment line and an
// audited slide annotation (R*Tree included), one small transaction each, and prints each id as soon as it is
// committed ("t<id>" for a line, "a<id>" for an annotation), one a line, so whoever kills this process knows what
// must have survived. The slide is a row only (no file): annotations need one to belong to.
//
// Usage: crash_writer DATABASE COUNT
// Exit status: 0 after COUNT of each, 1 with the error on stderr otherwise.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "model/dates.h"
#include "store/annotation_repository.h"
#include "store/audit_log.h"
#include "store/case_repository.h"
#include "store/slide_repository.h"

using namespace consilium;

namespace {

// write(2), not stdio: nothing committed sits in a buffer when the SIGKILL comes.
bool report(char kind, std::int64_t id)
{
    const std::string line = kind + std::to_string(id) + "\n";
    return ::write(STDOUT_FILENO, line.data(), line.size()) == ssize_t(line.size());
}

std::int64_t addSlide(store::Database& db, std::int64_t caseId, const store::Actor& actor)
{
    model::CaseSlide slide;
    slide.caseId = caseId;
    slide.originalName = "crash.svs";
    slide.sha256 = std::string(64, '0');
    slide.sizeBytes = 1;
    slide.storedPath = "slides/crash.svs";
    slide.info.vendor = "aperio";
    slide.info.levels = {{100000, 100000, 1}};
    return store::SlideRepository(db).add(slide, actor).id;
}

}  // namespace

int main(int argc, char** argv)
{
    if (argc != 3) {
        std::fprintf(stderr, "usage: crash_writer DATABASE COUNT\n");
        return 2;
    }
    try {
        store::Database db = store::Database::open(argv[1]);
        store::CaseRepository cases(db);
        const store::Actor actor{"crash_writer:" + std::to_string(::getpid()), std::nullopt};
        model::CaseIntake intake;
        intake.patient.name = "Crash Writer " + std::to_string(::getpid());
        intake.question = "Does every committed line survive a SIGKILL?";
        intake.receivedOn = model::parseIsoDate("2026-11-25");
        const std::int64_t caseId = cases.create(intake, actor).id;
        const std::int64_t slideId = addSlide(db, caseId, actor);
        store::AnnotationRepository annotations(db);
        const long count = std::atol(argv[2]);
        for (long i = 0; i < count; ++i) {
            model::TreatmentLine line;
            line.caseId = caseId;
            line.regimen = "cycle " + std::to_string(i);
            line.dose = "AUC 5 q3w";
            if (!report('t', cases.addTreatmentLine(line, actor).id))
                return 1;
            model::Annotation a;
            a.slideId = slideId;
            a.shape = model::AnnotationShape::Rectangle;
            a.points = {{double(i % 1000), double(i / 1000)}, {double(i % 1000) + 40, double(i / 1000) + 30}};
            a.label = "region " + std::to_string(i);
            if (!report('a', annotations.add(a, actor).id))
                return 1;
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "crash_writer: %s\n", e.what());
        return 1;
    }
}
